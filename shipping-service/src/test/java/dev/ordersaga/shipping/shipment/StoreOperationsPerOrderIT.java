package dev.ordersaga.shipping.shipment;

import static org.assertj.core.api.Assertions.assertThat;

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
import dev.ordersaga.messaging.testing.StoreCommands;
import dev.ordersaga.messaging.testing.TestInfrastructure;
import dev.ordersaga.messaging.testing.TestMessages;
import dev.ordersaga.shipping.ShippingServiceApplication;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.ContextConfiguration;

/**
 * Every store operation shipping-service makes for one order, exactly as its README lists them
 * ("Store operations per order"): each by {@code _id} or a unique key in a flat filter, none
 * sorted, so none scans on the embedded store and none grows with the orders before it.
 */
@SpringBootTest(
    properties = {
      "spring.config.name=" + ShippingServiceApplication.NAME,
      "shipping.carrier.latency=0ms"
    })
@ContextConfiguration(initializers = TestInfrastructure.class)
@Import(StoreCommands.Configuration.class)
class StoreOperationsPerOrderIT {

  @Autowired private StoreCommands store;
  @Autowired private ConfirmingPublisher publisher;
  @Autowired private Connection connection;
  @Autowired private Topology topology;
  @Autowired private WireCodec codec;

  @Test
  void aScheduleAndItsCancellationAreKeyedStoreOperationsOnly() {
    QueueProbe replies = new QueueProbe(connection, topology, SagaChannels.EVENT_QUEUE, codec);
    String orderId = "order-" + UUID.randomUUID();
    String key = "key-" + UUID.randomUUID();

    store.start();
    publisher.publish(
        TestMessages.envelope(
            new ScheduleShipment(
                orderId,
                key,
                new Address("Choi Yuna", "3 Hangang-daero", null, "Seoul", "04377", "KR"),
                List.of(new LineItem("sku-cup", 2, Money.of("8000", "KRW"))))));
    ShipmentScheduled scheduled =
        replies.await(ShipmentScheduled.class, s -> s.orderId().equals(orderId));

    assertThat(handled())
        .containsExactly("shipments find {_id}", "carrier_bookings insert", "shipments insert");

    store.start();
    publisher.publish(
        TestMessages.envelope(new CancelShipment(orderId, key, scheduled.shipmentId())));
    replies.await(ShipmentCancelled.class, c -> c.orderId().equals(orderId));

    assertThat(handled())
        .containsExactly(
            "shipments find {_id}",
            "carrier_bookings find {_id}",
            "carrier_bookings update {_id, version}",
            "shipments update {_id, version}");
  }

  /**
   * What was recorded for the command: the handler publishes its reply after its last write, so
   * once the reply arrived, everything is recorded (the queue has no inbox: the handler is
   * idempotent by its records' keys).
   */
  private List<String> handled() {
    return store.recorded();
  }
}
