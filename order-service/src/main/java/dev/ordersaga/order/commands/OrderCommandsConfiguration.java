package dev.ordersaga.order.commands;

import dev.ordersaga.messaging.config.QueueListener;
import dev.ordersaga.messaging.contracts.order.OrderChannels;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Consumes {@code order-service.commands} with the {@link OrderCommandHandler}. */
@Configuration(proxyBeanMethods = false)
class OrderCommandsConfiguration {

  @Bean
  QueueListener orderCommands(OrderCommandHandler handler) {
    return new QueueListener(OrderChannels.COMMAND_QUEUE, handler);
  }
}
