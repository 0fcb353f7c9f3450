package dev.ordersaga.order.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.mongodb.client.MongoDatabase;
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
import dev.ordersaga.order.OrderServiceTestSupport;
import dev.ordersaga.order.cancelling.OrderCancellation;
import dev.ordersaga.order.orders.Order;
import dev.ordersaga.order.orders.OrderStatus;
import dev.ordersaga.order.orders.OrderStore;
import dev.ordersaga.order.orders.OutboxEntry;
import dev.ordersaga.order.placing.OrderPlacement;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The relay publishes what a request left in an order's outbox: here, orders written straight to
 * the store with messages enqueued a minute ago and never published, as after a crash or a broker
 * outage between the insert and the publish.
 */
class OutboxRelayIT extends OrderServiceTestSupport {

  private static final Customer CUSTOMER = new Customer(CUSTOMER_ID, "mina@example.com", "en");
  private static final Address ADDRESS =
      new Address("Mina Park", "1 Main St", null, "Busan", "48058", "KR");

  @Autowired private WireCodec codec;
  @Autowired private MeterRegistry meters;
  @Autowired private MongoDatabase database;

  @Test
  void publishesPendingMessagesInTheOrderTheyWereWrittenAndEmptiesTheOutbox() {
    String orderId = UUID.randomUUID().toString();
    Instant aMinuteAgo = Instant.now().minus(1, ChronoUnit.MINUTES).truncatedTo(ChronoUnit.MILLIS);
    Envelope<OrderPlaced> placed = orderPlaced(orderId, aMinuteAgo);
    Envelope<OrderCancellationRequested> cancellation =
        Envelope.of(
            OrderCancellation.cancellationMessageId(orderId),
            null,
            aMinuteAgo.plusMillis(1),
            Map.of(),
            new OrderCancellationRequested(orderId, "changed my mind"));
    store.insert(
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
    try {
      store.insert(
          pendingOrder(
              stuckId,
              twoMinutesAgo,
              List.of(
                  new OutboxEntry(
                      UUID.randomUUID().toString(),
                      "order.OrderPlaced",
                      "{not an envelope",
                      twoMinutesAgo))));
      Instant aMinuteAgo = twoMinutesAgo.plus(1, ChronoUnit.MINUTES);
      store.insert(
          pendingOrder(
              okId,
              aMinuteAgo,
              List.of(OutboxEntry.of(orderPlaced(okId, aMinuteAgo), codec, aMinuteAgo))));

      events.await(OrderPlaced.class, p -> p.orderId().equals(okId));

      awaitOutboxEmpty(okId);
      Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> lagSeconds() >= 120);
      assertThat(store.find(stuckId).orElseThrow().outbox()).hasSize(1);
    } finally {
      database.getCollection(OrderStore.COLLECTION).deleteOne(Filters.eq("_id", stuckId));
    }
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
        Map.of());
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

  private double lagSeconds() {
    Gauge lag = meters.find("orders.outbox.lag").gauge();
    return lag == null ? -1 : lag.value();
  }
}
