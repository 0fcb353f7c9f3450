package dev.ordersaga.order.commands;

import dev.ordersaga.messaging.config.QueueListener;
import dev.ordersaga.messaging.contracts.order.OrderChannels;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Consumes {@code order-service.commands} with the {@link OrderCommandHandler}, without messaging's
 * inbox: the handler keeps each reply in the order's document and answers a repeat with it.
 */
@Configuration(proxyBeanMethods = false)
class OrderCommandsConfiguration {

  @Bean
  QueueListener orderCommands(OrderCommandHandler handler) {
    return new QueueListener(OrderChannels.COMMAND_QUEUE, handler).withoutInbox();
  }
}
