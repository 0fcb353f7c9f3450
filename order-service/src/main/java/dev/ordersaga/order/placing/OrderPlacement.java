package dev.ordersaga.order.placing;

import dev.ordersaga.messaging.Envelope;
import dev.ordersaga.messaging.MessageIds;
import dev.ordersaga.messaging.codec.WireCodec;
import dev.ordersaga.messaging.contracts.order.OrderPlaced;
import dev.ordersaga.order.OrderServiceApplication;
import dev.ordersaga.order.orders.DuplicateIdempotencyKeyException;
import dev.ordersaga.order.orders.Order;
import dev.ordersaga.order.orders.OrderMetrics;
import dev.ordersaga.order.orders.OrderStatus;
import dev.ordersaga.order.orders.OrderStore;
import dev.ordersaga.order.orders.OutboxEntry;
import dev.ordersaga.order.outbox.OutboxMarkers;
import dev.ordersaga.order.outbox.OutboxPublisher;
import dev.ordersaga.order.outbox.OutboxSettings;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

/**
 * Places orders: writes the marker of its {@link OrderPlaced} message (see {@link OutboxMarkers}),
 * then the order together with the message in one document, then publishes the message (the relay
 * takes over if that fails). With an {@code Idempotency-Key}, a repeated request finds the order
 * the key placed instead of placing another; if that order's messages are still pending after
 * {@code order-service.outbox.relay-min-age} (its first request failed after the write), the repeat
 * marks and publishes them again.
 */
@Service
public class OrderPlacement {

  private static final Logger log = LoggerFactory.getLogger(OrderPlacement.class);

  /**
   * The outcome of a request to place an order.
   *
   * @param replayed true when the idempotency key had already placed this order
   */
  public record Placement(Order order, boolean replayed) {}

  private final OrderStore store;
  private final OutboxMarkers markers;
  private final OutboxPublisher outbox;
  private final OutboxSettings outboxSettings;
  private final WireCodec codec;
  private final OrderMetrics metrics;
  private final Clock clock;

  public OrderPlacement(
      OrderStore store,
      OutboxMarkers markers,
      OutboxPublisher outbox,
      OutboxSettings outboxSettings,
      WireCodec codec,
      OrderMetrics metrics,
      Clock clock) {
    this.store = store;
    this.markers = markers;
    this.outbox = outbox;
    this.outboxSettings = outboxSettings;
    this.codec = codec;
    this.metrics = metrics;
    this.clock = clock;
  }

  /** The id of the {@link OrderPlaced} message of an order: the same for every publish of it. */
  public static String orderPlacedMessageId(String orderId) {
    return MessageIds.scoped(orderId, OrderServiceApplication.NAME, "OrderPlaced");
  }

  /**
   * Places the order, or finds the one its idempotency key placed before for the same customer
   * (each customer has keys of its own).
   *
   * @param idempotencyKey the shopper's key, or {@code null}
   * @param trace trace context to carry on the message
   * @throws IdempotencyKeyReusedException when the key placed an order from a different request
   */
  public Placement place(NewOrder request, String idempotencyKey, Map<String, String> trace) {
    String fingerprint = RequestFingerprint.of(request);
    // no look-up of the key first: a new key (the common case) costs nothing more, and a key used
    // before meets its order at the insert, through the key's unique index
    String orderId = MessageIds.newSagaId();
    Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
    Envelope<OrderPlaced> placed =
        Envelope.of(
            orderPlacedMessageId(orderId),
            null,
            now,
            trace,
            new OrderPlaced(
                orderId,
                request.customer(),
                request.items(),
                request.total(),
                request.shippingAddress(),
                request.paymentToken()));
    Order order =
        new Order(
            orderId,
            OrderStatus.PENDING,
            null,
            request.customer(),
            request.items(),
            request.total(),
            request.shippingAddress(),
            request.paymentToken(),
            idempotencyKey,
            fingerprint,
            now,
            now,
            null,
            null,
            List.of(OutboxEntry.of(placed, codec, now)),
            Map.of(),
            Order.FIRST_VERSION);
    try {
      markers.around(orderId, order.outbox(), () -> store.insert(order));
    } catch (DuplicateIdempotencyKeyException repeated) {
      // a request with the same key (a repeat, or a concurrent one) placed its order first; this
      // order was never written
      forgetMarkers(order);
      return replay(
          store
              .findByIdempotencyKey(request.customer().customerId(), idempotencyKey)
              .orElseThrow(() -> repeated),
          idempotencyKey,
          fingerprint);
    }
    metrics.placed(request.total().currency());
    log.info(
        "order {} placed: {} {}", orderId, request.total().amount(), request.total().currency());
    outbox.flush(order);
    return new Placement(order, false);
  }

  private Placement replay(Order existing, String idempotencyKey, String fingerprint) {
    if (!existing.requestFingerprint().equals(fingerprint)) {
      throw new IdempotencyKeyReusedException(idempotencyKey);
    }
    metrics.replayed();
    Instant pendingSince = clock.instant().minus(outboxSettings.getRelayMinAge());
    if (existing.outbox().stream().anyMatch(m -> m.enqueuedAt().isBefore(pendingSince))) {
      // not a request still in flight: its first request failed after the order write
      log.info(
          "order {} replayed with messages still pending; publishing them", existing.orderId());
      markers.mark(existing.orderId(), existing.outbox());
      outbox.flush(existing);
    }
    return new Placement(existing, true);
  }

  /** Removes the markers of an order that was not written; the relay would remove them later. */
  private void forgetMarkers(Order unwritten) {
    try {
      unwritten.outbox().forEach(message -> markers.remove(message.messageId()));
    } catch (RuntimeException e) {
      log.warn("markers of unwritten order {} stay for the relay", unwritten.orderId(), e);
    }
  }
}
