package dev.ordersaga.shipping.shipment;

import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.rabbitmq.client.Connection;
import dev.ordersaga.messaging.Envelope;
import dev.ordersaga.messaging.Message;
import dev.ordersaga.messaging.codec.WireCodec;
import dev.ordersaga.messaging.contracts.Address;
import dev.ordersaga.messaging.contracts.LineItem;
import dev.ordersaga.messaging.contracts.Money;
import dev.ordersaga.messaging.contracts.saga.SagaChannels;
import dev.ordersaga.messaging.contracts.shipping.CancelShipment;
import dev.ordersaga.messaging.contracts.shipping.ScheduleShipment;
import dev.ordersaga.messaging.contracts.shipping.ShipmentCancelled;
import dev.ordersaga.messaging.contracts.shipping.ShipmentScheduled;
import dev.ordersaga.messaging.rabbit.Topology;
import dev.ordersaga.messaging.testing.Concurrently;
import dev.ordersaga.messaging.testing.QueueProbe;
import dev.ordersaga.messaging.testing.TestInfrastructure;
import dev.ordersaga.messaging.testing.TestMessages;
import dev.ordersaga.shipping.ShippingServiceApplication;
import dev.ordersaga.shipping.carrier.SimulatedCarrier;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;
import org.awaitility.Awaitility;
import org.bson.Document;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ContextConfiguration;

/**
 * The handler run by several threads at once, as the consumer's workers (or several instances) run
 * it: deliveries of one command book and cancel once, a cancellation racing the booking leaves
 * nothing booked, and commands of different orders do not wait for each other's carrier call.
 */
@SpringBootTest(
    properties = {
      "spring.config.name=" + ShippingServiceApplication.NAME,
      "shipping.carrier.latency=" + ConcurrentShippingCommandsIT.LATENCY_MILLIS + "ms"
    })
@ContextConfiguration(initializers = TestInfrastructure.class)
class ConcurrentShippingCommandsIT {

  static final int LATENCY_MILLIS = 400;
  private static final int DELIVERIES = 6;
  private static final List<LineItem> ITEMS =
      List.of(new LineItem("sku-lamp", 1, Money.of("52000", "KRW")));

  @Autowired private ShippingCommandHandler handler;
  @Autowired private ShipmentStore store;
  @Autowired private Connection connection;
  @Autowired private Topology topology;
  @Autowired private WireCodec codec;
  @Autowired private MongoDatabase database;
  @Autowired private MeterRegistry meters;

  private QueueProbe replies;
  private final String orderId = "order-" + UUID.randomUUID();
  private final String key = "key-" + UUID.randomUUID();

  @BeforeEach
  void probeReplies() {
    replies = new QueueProbe(connection, topology, SagaChannels.EVENT_QUEUE, codec);
  }

  @Test
  void concurrentDeliveriesOfOneScheduleBookOnceAndRepeatOneReply() {
    double scheduledBefore = meters.get(ShippingMetrics.SCHEDULED).counter().count();

    Concurrently.run(DELIVERIES, i -> handle(schedule(orderId, key)));

    List<Envelope<Message>> scheduled = awaitReplies(ShipmentScheduled.class, DELIVERIES);
    assertThat(scheduled)
        .extracting(Envelope::messageId)
        .containsOnly(scheduled.get(0).messageId());
    assertThat(scheduled).extracting(Envelope::payload).containsOnly(scheduled.get(0).payload());
    assertThat(meters.get(ShippingMetrics.SCHEDULED).counter().count())
        .isEqualTo(scheduledBefore + 1);
    assertThat(store.byOrder(orderId)).hasSize(1);
    assertThat(booking(key).getString("trackingNumber"))
        .isEqualTo(((ShipmentScheduled) scheduled.get(0).payload()).trackingNumber());
  }

  @Test
  void concurrentDeliveriesOfOneCancellationCancelOnce() {
    handle(schedule(orderId, key));
    ShipmentScheduled scheduled =
        replies.await(ShipmentScheduled.class, s -> s.orderId().equals(orderId));
    double cancelledBefore = cancelled("scheduled");

    Concurrently.run(
        DELIVERIES,
        i ->
            handle(
                TestMessages.envelope(new CancelShipment(orderId, key, scheduled.shipmentId()))));

    List<Envelope<Message>> cancellations = awaitReplies(ShipmentCancelled.class, DELIVERIES);
    assertThat(cancellations)
        .extracting(Envelope::messageId)
        .containsOnly(cancellations.get(0).messageId());
    assertThat(cancelled("scheduled")).isEqualTo(cancelledBefore + 1);
    assertThat(store.find(key).orElseThrow().state()).isEqualTo(ShipmentState.CANCELLED);
    assertThat(booking(key).getString("state")).isEqualTo("CANCELLED");
  }

  @Test
  void aCancellationRacingTheBookingLeavesNothingBooked() {
    Concurrently.run(
        DELIVERIES,
        i ->
            handleAsRedelivered(
                i % 2 == 0
                    ? schedule(orderId, key)
                    : TestMessages.envelope(new CancelShipment(orderId, key, "shipment-x"))));

    assertThat(store.find(key).orElseThrow().state()).isEqualTo(ShipmentState.CANCELLED);
    Document booking = booking(key);
    if (booking != null) {
      assertThat(booking.getString("state")).isEqualTo("CANCELLED");
    }
    awaitReplies(ShipmentCancelled.class, DELIVERIES / 2);
  }

  @Test
  void commandsOfDifferentOrdersOverlapTheCarriersLatency() {
    List<String> orders =
        IntStream.range(0, DELIVERIES).mapToObj(i -> "order-" + UUID.randomUUID()).toList();

    long started = System.nanoTime();
    Concurrently.run(DELIVERIES, i -> handle(schedule(orders.get(i), "key-" + UUID.randomUUID())));
    Duration took = Duration.ofNanos(System.nanoTime() - started);

    for (String order : orders) {
      replies.await(ShipmentScheduled.class, s -> s.orderId().equals(order));
    }
    // one after the other they would take DELIVERIES x LATENCY (2.4 s)
    assertThat(took).isLessThan(Duration.ofMillis(LATENCY_MILLIS * (DELIVERIES - 2L)));
  }

  private static Envelope<ScheduleShipment> schedule(String orderId, String key) {
    return TestMessages.envelope(
        new ScheduleShipment(
            orderId,
            key,
            new Address("Park Jisu", "5 Jong-ro", null, "Seoul", "03154", "KR"),
            ITEMS));
  }

  private boolean handle(Envelope<? extends Message> envelope) {
    @SuppressWarnings("unchecked")
    Envelope<Message> command = (Envelope<Message>) envelope;
    handler.handle(command);
    return true;
  }

  /** Handles the command, and again on a failure, as the queue would redeliver it. */
  private boolean handleAsRedelivered(Envelope<? extends Message> envelope) {
    for (int delivery = 1; ; delivery++) {
      try {
        return handle(envelope);
      } catch (RuntimeException e) {
        if (delivery == 5) {
          throw e;
        }
      }
    }
  }

  private List<Envelope<Message>> awaitReplies(Class<? extends Message> type, int count) {
    return Awaitility.await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                replies.received().stream()
                    .filter(e -> type.isInstance(e.payload()))
                    .filter(e -> e.payload().orderId().equals(orderId))
                    .toList(),
            found -> found.size() >= count);
  }

  private Document booking(String idempotencyKey) {
    return database
        .getCollection(SimulatedCarrier.COLLECTION)
        .find(Filters.eq("_id", idempotencyKey))
        .first();
  }

  private double cancelled(String was) {
    return meters.get(ShippingMetrics.CANCELLED).tag("was", was).counter().count();
  }
}
