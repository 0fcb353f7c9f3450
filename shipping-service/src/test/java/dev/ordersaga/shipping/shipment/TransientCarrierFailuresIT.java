package dev.ordersaga.shipping.shipment;

import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.rabbitmq.client.Connection;
import dev.ordersaga.messaging.codec.WireCodec;
import dev.ordersaga.messaging.contracts.Address;
import dev.ordersaga.messaging.contracts.LineItem;
import dev.ordersaga.messaging.contracts.Money;
import dev.ordersaga.messaging.contracts.saga.SagaChannels;
import dev.ordersaga.messaging.contracts.shipping.CancelShipment;
import dev.ordersaga.messaging.contracts.shipping.ScheduleShipment;
import dev.ordersaga.messaging.contracts.shipping.ShipmentCancelled;
import dev.ordersaga.messaging.contracts.shipping.ShipmentScheduled;
import dev.ordersaga.messaging.rabbit.ConfirmingPublisher;
import dev.ordersaga.messaging.rabbit.Topology;
import dev.ordersaga.messaging.testing.QueueProbe;
import dev.ordersaga.messaging.testing.TestInfrastructure;
import dev.ordersaga.messaging.testing.TestMessages;
import dev.ordersaga.shipping.ShippingServiceApplication;
import dev.ordersaga.shipping.carrier.SimulatedCarrier;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.UUID;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ContextConfiguration;

/**
 * A carrier that fails most calls: the commands are redelivered until they get through, and the
 * shipment is booked once. The seed makes the run reproducible; the raised delivery limit keeps an
 * unlucky streak from parking the command.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "spring.config.name=" + ShippingServiceApplication.NAME,
      "shipping.carrier.latency=1ms",
      "shipping.carrier.transient-failure-rate=0.7",
      "shipping.carrier.random-seed=20261122",
      "messaging.rabbit.max-deliveries=40",
      "messaging.rabbit.redelivery-initial=20ms",
      "messaging.rabbit.redelivery-max=100ms"
    })
@ContextConfiguration(initializers = TestInfrastructure.class)
class TransientCarrierFailuresIT {

  @Autowired private ConfirmingPublisher publisher;
  @Autowired private Connection connection;
  @Autowired private Topology topology;
  @Autowired private WireCodec codec;
  @Autowired private MongoDatabase database;
  @Autowired private MeterRegistry meters;

  @Test
  void schedulesAndCancelsThroughTransientFailuresBookingOnce() {
    QueueProbe replies = new QueueProbe(connection, topology, SagaChannels.EVENT_QUEUE, codec);
    String orderId = "order-" + UUID.randomUUID();
    String key = "key-" + UUID.randomUUID();

    publisher.publish(
        TestMessages.envelope(
            new ScheduleShipment(
                orderId,
                key,
                new Address("Lee Jun", "10 Teheran-ro", null, "Seoul", "06234", "KR"),
                List.of(new LineItem("sku-mug", 3, Money.of("9000", "KRW"))))));
    ShipmentScheduled scheduled =
        replies.await(ShipmentScheduled.class, s -> s.orderId().equals(orderId));
    publisher.publish(
        TestMessages.envelope(new CancelShipment(orderId, key, scheduled.shipmentId())));
    replies.await(ShipmentCancelled.class, c -> c.orderId().equals(orderId));

    assertThat(carrierFailures("book") + carrierFailures("cancel")).isPositive();
    assertThat(replies.received(ShipmentScheduled.class)).containsExactly(scheduled);
    assertThat(meters.get(ShippingMetrics.SCHEDULED).counter().count()).isEqualTo(1);
    List<Document> bookings =
        database
            .getCollection(SimulatedCarrier.COLLECTION)
            .find(Filters.eq("_id", key))
            .into(new java.util.ArrayList<>());
    assertThat(bookings).hasSize(1);
    assertThat(bookings.get(0).getString("trackingNumber")).isEqualTo(scheduled.trackingNumber());
    assertThat(bookings.get(0).getString("state")).isEqualTo("CANCELLED");
  }

  private double carrierFailures(String operation) {
    return meters
        .get(ShippingMetrics.CARRIER_FAILURES)
        .tag("operation", operation)
        .counter()
        .count();
  }
}
