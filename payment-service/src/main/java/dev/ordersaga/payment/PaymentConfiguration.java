package dev.ordersaga.payment;

import com.mongodb.client.MongoDatabase;
import dev.ordersaga.messaging.codec.WireCodec;
import dev.ordersaga.messaging.config.QueueListener;
import dev.ordersaga.messaging.contracts.payment.PaymentChannels;
import dev.ordersaga.messaging.rabbit.ConfirmingPublisher;
import dev.ordersaga.payment.provider.PaymentProvider;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The payment participant: its store, meters, command handler and queue subscription. */
@Configuration(proxyBeanMethods = false)
class PaymentConfiguration {

  @Bean
  PaymentStore paymentStore(MongoDatabase database) {
    return new PaymentStore(database);
  }

  @Bean
  PaymentMetrics paymentMetrics(MeterRegistry registry) {
    return new PaymentMetrics(registry);
  }

  @Bean
  PaymentCommandHandler paymentCommandHandler(
      PaymentStore store,
      PaymentProvider provider,
      ConfirmingPublisher publisher,
      WireCodec codec,
      PaymentMetrics metrics,
      Clock clock) {
    return new PaymentCommandHandler(store, provider, publisher, codec, metrics, clock);
  }

  @Bean
  QueueListener paymentCommands(PaymentCommandHandler handler) {
    // no messaging inbox: the handler keeps each command's effect and reply keyed in its own
    // records and answers a repeat from them
    return new QueueListener(PaymentChannels.COMMAND_QUEUE, handler).withoutInbox();
  }
}
