package dev.ordersaga.shipping.shipment;

import com.mongodb.client.MongoDatabase;
import dev.ordersaga.messaging.codec.WireCodec;
import dev.ordersaga.messaging.config.QueueListener;
import dev.ordersaga.messaging.contracts.shipping.ShippingChannels;
import dev.ordersaga.messaging.rabbit.ConfirmingPublisher;
import dev.ordersaga.shipping.carrier.Carrier;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The shipments store, meters and the command handler, subscribed to the command queue. */
@Configuration(proxyBeanMethods = false)
class ShippingConfiguration {

  @Bean
  ShipmentStore shipmentStore(MongoDatabase database) {
    return new ShipmentStore(database);
  }

  @Bean
  ShippingMetrics shippingMetrics(MeterRegistry registry, Carrier carrier) {
    return new ShippingMetrics(registry, carrier.name());
  }

  @Bean
  ShippingCommandHandler shippingCommandHandler(
      ShipmentStore store,
      Carrier carrier,
      ConfirmingPublisher publisher,
      WireCodec codec,
      ShippingMetrics metrics,
      Clock clock) {
    return new ShippingCommandHandler(store, carrier, publisher, codec, metrics, clock);
  }

  @Bean
  QueueListener shippingCommands(ShippingCommandHandler handler) {
    // no messaging inbox: the handler keeps each command's effect and reply keyed in its own
    // records and answers a repeat from them
    return new QueueListener(ShippingChannels.COMMAND_QUEUE, handler).withoutInbox();
  }
}
