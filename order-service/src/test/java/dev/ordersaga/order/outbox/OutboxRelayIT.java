package dev.ordersaga.order.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.mongodb.client.model.Filters;
import dev.ordersaga.messaging.Envelope;
import dev.ordersaga.messaging.Message;
import dev.ordersaga.messaging.codec.WireCodec;
import dev.ordersaga.messaging.contracts.Address;
import dev.ordersaga.messaging.contracts.Customer;
import dev.ordersaga.messaging.contracts.LineItem;
import dev.ordersaga.messaging.contracts.Money;
import dev.ordersaga.messaging.contracts.order.OrderCancellationRequested;
import dev.ordersaga.messaging.contracts.order.OrderPlaced;
import dev.ordersaga.messaging.store.Leases;
import dev.ordersaga.order.OrderServiceTestSupport;
import dev.ordersaga.order.cancelling.OrderCancellation;
import dev.ordersaga.order.orders.Order;
import dev.ordersaga.order.orders.OrderStatus;
import dev.ordersaga.order.orders.OrderStore;
import dev.ordersaga.order.orders.OutboxEntry;
import dev.ordersaga.order.placing.OrderPlacement;
import dev.ordersaga.order.placing.OrderRequestValidator;
import dev.ordersaga.order.placing.RequestFingerprint;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpStatus;
import org.springframework.test.context.TestPropertySource;

/**
 * The relay publishes what a request left pending, found through the outbox markers only: here,
 * orders and markers written straight to the store as a request leaves them when it stops at each
 * point between its writes (see {@link OutboxRelay}), with messages enqueued a minute ago.
 */
@TestPropertySource(properties = "order-service.outbox.marker-grace=5s")
class OutboxRelayIT extends OrderServiceTestSupport {

  private static final Customer CUSTOMER = new Customer(CUSTOMER_ID, "mina@example.com", "en");
  private static final Address ADDRESS =
      new Address("Mina Park", "1 Main St", null, "Busan", "48058", "KR");

  @Autowired private WireCodec codec;
  @Autowired private MeterRegistry meters;
  @Autowired private OutboxMarkers markers;
  @Autowired private OutboxRelay relay;

  @Test
  void publishesPendingMessagesInTheOrderTheyWereWrittenAndEmptiesTheOutbox() {
    String orderId = UUID.randomUUID().toString();
    Instant aMinuteAgo = aMinuteAgo();
    Envelope<OrderPlaced> placed = orderPlaced(orderId, aMinuteAgo);
    Envelope<OrderCancellationRequested> cancellation =
        Envelope.of(
            OrderCancellation.cancellationMessageId(orderId),
            null,
            aMinuteAgo.plusMillis(1),
            Map.of(),
            new OrderCancellationRequested(orderId, "changed my mind"));
    double relayedBefore = relayedCount();

    // stopped after the order write, before publishing
    writeAsARequest(
        pendingOrder(
            orderId,
            aMinuteAgo,
            List.of(
                OutboxEntry.of(placed, codec, aMinuteAgo),
                OutboxEntry.of(cancellation, codec, aMinuteAgo.plusMillis(1)))));

    events.await(OrderCancellationRequested.class, c -> c.orderId().equals(orderId));

    List<String> sent =
        events.received().stream()
            .filter(e -> e.sagaId().equals(orderId))
            .map(Envelope::messageId)
            .toList();
    assertThat(sent).containsExactly(placed.messageId(), cancellation.messageId());
    Envelope<Message> relayed = events.received().get(indexOf(placed.messageId()));
    assertThat(relayed.payload()).isEqualTo(placed.payload());
    awaitOutboxEmpty(orderId);
    assertThat(relayedCount()).isEqualTo(relayedBefore + 1);
    JsonNode order = getOrder(orderId).getBody();
    assertThat(order.get("status").asText()).isEqualTo("PENDING");
    assertThat(order.get("cancellationRequested").asBoolean()).isTrue();
    Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> lagSeconds() == 0.0);
  }

  @Test
  void anUndecodableMessageStaysPendingShowsInTheLagAndBlocksNoOtherOrder() {
    String stuckId = UUID.randomUUID().toString();
    String okId = UUID.randomUUID().toString();
    Instant twoMinutesAgo =
        Instant.now().minus(2, ChronoUnit.MINUTES).truncatedTo(ChronoUnit.MILLIS);
    OutboxEntry undecodable =
        new OutboxEntry(
            UUID.randomUUID().toString(), "order.OrderPlaced", "{not an envelope", twoMinutesAgo);
    try {
      writeAsARequest(pendingOrder(stuckId, twoMinutesAgo, List.of(undecodable)));
      Instant aMinuteAgo = twoMinutesAgo.plus(1, ChronoUnit.MINUTES);
      writeAsARequest(
          pendingOrder(
              okId,
              aMinuteAgo,
              List.of(OutboxEntry.of(orderPlaced(okId, aMinuteAgo), codec, aMinuteAgo))));

      events.await(OrderPlaced.class, p -> p.orderId().equals(okId));

      awaitOutboxEmpty(okId);
      Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> lagSeconds() >= 120);
      assertThat(store.find(stuckId).orElseThrow().outbox()).hasSize(1);
      assertThat(markersOf(stuckId)).isEqualTo(1);
    } finally {
      database.getCollection(OrderStore.COLLECTION).deleteOne(Filters.eq("_id", stuckId));
      markers.remove(undecodable.messageId());
    }
  }

  @Test
  void findsPendingMessagesThroughTheirMarkersOnly() {
    String unmarkedId = UUID.randomUUID().toString();
    String markedId = UUID.randomUUID().toString();
    Instant aMinuteAgo = aMinuteAgo();
    try {
      // a pending message without a marker: what the relay would never find, by design
      store.insert(
          pendingOrder(
              unmarkedId,
              aMinuteAgo,
              List.of(OutboxEntry.of(orderPlaced(unmarkedId, aMinuteAgo), codec, aMinuteAgo))));
      writeAsARequest(
          pendingOrder(
              markedId,
              aMinuteAgo,
              List.of(OutboxEntry.of(orderPlaced(markedId, aMinuteAgo), codec, aMinuteAgo))));

      awaitOutboxEmpty(markedId);

      assertThat(received(OrderPlaced.class, p -> p.orderId().equals(markedId))).hasSize(1);
      assertThat(received(OrderPlaced.class, p -> p.orderId().equals(unmarkedId))).isEmpty();
      assertThat(store.find(unmarkedId).orElseThrow().outbox()).hasSize(1);
    } finally {
      database.getCollection(OrderStore.COLLECTION).deleteOne(Filters.eq("_id", unmarkedId));
    }
  }

  @Test
  void aMarkerWhoseOrderWasNeverWrittenSendsNothingLeavesTheLagAndGoesAfterTheGrace() {
    String neverWritten = UUID.randomUUID().toString();
    Instant aMinuteAgo = aMinuteAgo();

    // stopped after the marker, before the order write
    markers.mark(
        neverWritten,
        List.of(OutboxEntry.of(orderPlaced(neverWritten, aMinuteAgo), codec, aMinuteAgo)));

    // the relay finds no order: the marker stays for the grace, but leaves the lag
    Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> foundMissing(neverWritten));
    Awaitility.await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> lagSeconds() >= 0 && lagSeconds() < 60 && markersOf(neverWritten) == 1);
    Awaitility.await().atMost(Duration.ofSeconds(15)).until(() -> markersOf(neverWritten) == 0);
    assertThat(received(OrderPlaced.class, p -> p.orderId().equals(neverWritten))).isEmpty();
  }

  @Test
  void aMarkerWhoseMessageWentOutIsRemovedWithoutSendingItAgain() {
    String orderId = UUID.randomUUID().toString();
    Instant aMinuteAgo = aMinuteAgo();
    OutboxEntry message = OutboxEntry.of(orderPlaced(orderId, aMinuteAgo), codec, aMinuteAgo);

    // stopped after the message left the order's outbox, before its marker was removed
    markers.mark(orderId, List.of(message));
    store.insert(pendingOrder(orderId, aMinuteAgo, List.of()));

    Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> markersOf(orderId) == 0);
    assertThat(received(OrderPlaced.class, p -> p.orderId().equals(orderId))).isEmpty();
  }

  @Test
  void aReplayPublishesWhatItsFirstRequestLeftPendingWithoutAMarker() {
    String key = UUID.randomUUID().toString();
    String orderId = UUID.randomUUID().toString();
    Instant aMinuteAgo = aMinuteAgo();
    var request =
        OrderRequestValidator.validate(
            OrderRequestValidator.readJson(
                validRequest().toString().getBytes(StandardCharsets.UTF_8)),
            CUSTOMER_ID);
    // the marker lost to an order write that landed after the relay had given up on it
    store.insert(
        new Order(
            orderId,
            OrderStatus.PENDING,
            null,
            request.customer(),
            request.items(),
            request.total(),
            request.shippingAddress(),
            request.paymentToken(),
            key,
            RequestFingerprint.of(request),
            aMinuteAgo,
            aMinuteAgo,
            null,
            null,
            List.of(OutboxEntry.of(orderPlaced(orderId, aMinuteAgo), codec, aMinuteAgo)),
            Map.of(),
            Order.FIRST_VERSION));

    var replayed = placeOrder(validRequest(), key);

    assertThat(replayed.getStatusCode()).isEqualTo(HttpStatus.CREATED);
    assertThat(replayed.getBody().get("orderId").asText()).isEqualTo(orderId);
    events.await(OrderPlaced.class, p -> p.orderId().equals(orderId));
    awaitOutboxEmpty(orderId);
  }

  @Test
  void whileAnotherInstanceHoldsTheRelaysLeaseThisOneWaitsThenTakesOverWhenItRunsOut() {
    String orderId = UUID.randomUUID().toString();
    Instant aMinuteAgo = aMinuteAgo();
    Duration lease = Duration.ofSeconds(3);
    // another instance takes the lease over from this one (stopped, it gives the lease up), then
    // dies: its lease runs out 3 s from now
    relay.stop();
    assertThat(
            new Leases(database, java.time.Clock.systemUTC(), "another-instance")
                .acquire(OutboxRelay.JOB, lease))
        .isTrue();
    Instant leaseEnd = Instant.now().plus(lease);
    relay.start();

    writeAsARequest(
        pendingOrder(
            orderId,
            aMinuteAgo,
            List.of(OutboxEntry.of(orderPlaced(orderId, aMinuteAgo), codec, aMinuteAgo))));

    Awaitility.await()
        .during(lease.minusMillis(800))
        .atMost(lease)
        .until(() -> events.received().stream().noneMatch(e -> e.sagaId().equals(orderId)));
    events.await(OrderPlaced.class, p -> p.orderId().equals(orderId));
    assertThat(Instant.now()).isAfterOrEqualTo(leaseEnd);
    awaitOutboxEmpty(orderId);
  }

  /** Writes the order as a request does: its markers first, then the order. */
  private void writeAsARequest(Order order) {
    markers.around(order.orderId(), order.outbox(), () -> store.insert(order));
  }

  private static Instant aMinuteAgo() {
    return Instant.now().minus(1, ChronoUnit.MINUTES).truncatedTo(ChronoUnit.MILLIS);
  }

  private Envelope<OrderPlaced> orderPlaced(String orderId, Instant at) {
    return Envelope.of(
        OrderPlacement.orderPlacedMessageId(orderId),
        null,
        at,
        Map.of(),
        new OrderPlaced(
            orderId,
            CUSTOMER,
            List.of(new LineItem("BOOK-3", 1, Money.of("30000", "KRW"))),
            Money.of("30000", "KRW"),
            ADDRESS,
            "tok_mastercard"));
  }

  private static Order pendingOrder(String orderId, Instant at, List<OutboxEntry> outbox) {
    boolean cancelling =
        outbox.stream().anyMatch(e -> e.type().equals("order.OrderCancellationRequested"));
    return new Order(
        orderId,
        OrderStatus.PENDING,
        null,
        CUSTOMER,
        List.of(new LineItem("BOOK-3", 1, Money.of("30000", "KRW"))),
        Money.of("30000", "KRW"),
        ADDRESS,
        "tok_mastercard",
        null,
        "sha256:test",
        at,
        at,
        cancelling ? at : null,
        null,
        outbox,
        Map.of(),
        Order.FIRST_VERSION);
  }

  private int indexOf(String messageId) {
    List<Envelope<Message>> all = events.received();
    for (int i = 0; i < all.size(); i++) {
      if (all.get(i).messageId().equals(messageId)) {
        return i;
      }
    }
    throw new AssertionError("no message " + messageId);
  }

  /** Whether the relay has looked at the order's marker and found no message for it. */
  private boolean foundMissing(String orderId) {
    Document marker =
        database
            .getCollection(OutboxMarkers.COLLECTION)
            .find(new Document("orderId", orderId))
            .first();
    return marker != null && Boolean.TRUE.equals(marker.getBoolean("missing"));
  }

  private double lagSeconds() {
    Gauge lag = meters.find("orders.outbox.lag").gauge();
    return lag == null ? -1 : lag.value();
  }

  private double relayedCount() {
    Counter relayed = meters.find("orders.outbox.relayed").counter();
    return relayed == null ? 0 : relayed.count();
  }
}
