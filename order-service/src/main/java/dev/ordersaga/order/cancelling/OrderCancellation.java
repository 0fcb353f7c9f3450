package dev.ordersaga.order.cancelling;

import dev.ordersaga.messaging.Envelope;
import dev.ordersaga.messaging.MessageIds;
import dev.ordersaga.messaging.codec.WireCodec;
import dev.ordersaga.messaging.contracts.order.OrderCancellationRequested;
import dev.ordersaga.order.OrderServiceApplication;
import dev.ordersaga.order.orders.Order;
import dev.ordersaga.order.orders.OrderMetrics;
import dev.ordersaga.order.orders.OrderNotFoundException;
import dev.ordersaga.order.orders.OrderStore;
import dev.ordersaga.order.orders.OutboxEntry;
import dev.ordersaga.order.outbox.OutboxMarkers;
import dev.ordersaga.order.outbox.OutboxPublisher;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

/**
 * The shopper's request to cancel a pending order. It is recorded on the order together with an
 * {@link OrderCancellationRequested} message for saga-engine, in one update preceded by the
 * message's marker (see {@link OutboxMarkers}); the order itself becomes CANCELLED only when
 * saga-engine, having undone what was done, sends {@code RejectOrder(CANCELLED_BY_SHOPPER)}. Asking
 * again while the order is pending changes nothing and sends nothing; once the order is final it
 * cannot be cancelled.
 */
@Service
public class OrderCancellation {

  private static final Logger log = LoggerFactory.getLogger(OrderCancellation.class);
  private static final int ATTEMPTS = 3;

  private final OrderStore store;
  private final OutboxMarkers markers;
  private final OutboxPublisher outbox;
  private final WireCodec codec;
  private final OrderMetrics metrics;
  private final Clock clock;

  public OrderCancellation(
      OrderStore store,
      OutboxMarkers markers,
      OutboxPublisher outbox,
      WireCodec codec,
      OrderMetrics metrics,
      Clock clock) {
    this.store = store;
    this.markers = markers;
    this.outbox = outbox;
    this.codec = codec;
    this.metrics = metrics;
    this.clock = clock;
  }

  /** The id of an order's {@link OrderCancellationRequested} message: one per order. */
  public static String cancellationMessageId(String orderId) {
    return MessageIds.scoped(orderId, OrderServiceApplication.NAME, "OrderCancellationRequested");
  }

  /**
   * Records the request (once) and publishes its message.
   *
   * @param customerId the customer asking: only its own orders can be cancelled
   * @param reason the shopper's words, or {@code null}
   * @return the order with the cancellation request recorded
   * @throws OrderNotFoundException when there is no such order of this customer
   * @throws OrderNotCancellableException when the order is already APPROVED, REJECTED or CANCELLED,
   *     or being undone (REFUND_PENDING)
   */
  public Order request(
      String orderId, String customerId, String reason, Map<String, String> trace) {
    for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
      Order order =
          store
              .find(orderId)
              .filter(found -> found.customer().customerId().equals(customerId))
              .orElseThrow(() -> new OrderNotFoundException(orderId));
      if (order.status().isDecided()) {
        throw new OrderNotCancellableException(order);
      }
      if (order.cancellationRequested()) {
        return order;
      }
      Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
      Envelope<OrderCancellationRequested> message =
          Envelope.of(
              cancellationMessageId(orderId),
              null,
              now,
              trace,
              new OrderCancellationRequested(orderId, reason));
      OutboxEntry entry = OutboxEntry.of(message, codec, now);
      Order read = order;
      if (markers.around(
          orderId, List.of(entry), () -> store.requestCancellation(read, now, reason, entry))) {
        metrics.cancellationRequested();
        log.info("order {}: the shopper asked to cancel", orderId);
        // the write changed nothing else, since the order's version was still the one read
        Order recorded = order.cancellationRequested(now, reason, entry);
        outbox.flush(recorded);
        return recorded;
      }
      // the order changed between the read and the update: decide again on the new state (the
      // marker stays: another request may have queued this same message; else the relay removes
      // it)
    }
    throw new IllegalStateException(
        "order " + orderId + " kept changing while its cancellation was requested");
  }
}
