package dev.ordersaga.order.outbox;

import dev.ordersaga.messaging.store.Leases;
import dev.ordersaga.messaging.work.PeriodicWork;
import dev.ordersaga.messaging.work.Relay;
import dev.ordersaga.order.orders.Order;
import dev.ordersaga.order.orders.OrderStore;
import dev.ordersaga.order.orders.OutboxEntry;
import dev.ordersaga.order.outbox.OutboxMarkers.OutboxMarker;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Re-publishes outbox messages that their request did not get confirmed (the broker was away, or
 * the service stopped between writing the order and publishing). Every {@code
 * order-service.outbox.relay-interval} it reads the {@link OutboxMarkers} of messages older than
 * {@code relay-min-age} (oldest first, at most {@code relay-batch-size}), reads each marker's order
 * by {@code _id}, and flushes that order's outbox through {@link OutboxPublisher}. It never queries
 * the orders collection: a round costs O(pending), not O(orders ever placed). A round stops at the
 * first message the broker does not confirm, and the next round tries again. It is messaging's
 * {@link Relay} (the due markers, grouped by order) run as a {@link PeriodicWork} (thread {@code
 * order-outbox-relay}).
 *
 * <h2>Why no message is lost, and what may go out twice</h2>
 *
 * A message is written in its order's document, in the same single-document write as the state it
 * reports (the insert of the order for {@code OrderPlaced}; the update that records the request for
 * {@code OrderCancellationRequested}). Around it:
 *
 * <ol>
 *   <li>M1: the message's marker is written ({@link OutboxMarkers#around});
 *   <li>W: the order write, holding the message in {@code outbox};
 *   <li>P: publish, and wait for the broker's confirm;
 *   <li>R: {@code $pull} of the message from the order's outbox;
 *   <li>M2: removal of the marker.
 * </ol>
 *
 * The invariant: an order that holds a message in its outbox has a marker for it. M1 comes before
 * W; a marker is removed only after its message left the order (M2 after R), or by this relay when
 * it read the order without the message, and then only once the marker is older than {@code
 * marker-grace} and unchanged since it was read (the removal is conditional on the write id). So
 * every message not yet confirmed is found by a marker. A kill -9 between any two steps:
 *
 * <ul>
 *   <li>before M1: nothing is written and the shopper got no answer; repeating the request (with
 *       its {@code Idempotency-Key}) places the order.
 *   <li>between M1 and W: a marker without a message (the order does not exist, or holds no such
 *       message). The relay marks it {@code missing} (no longer counted in the lag) and removes it
 *       once it is older than the grace. Nothing is sent, and the shopper got no 201 or 202.
 *   <li>between W and P, or P not confirmed: the message and its marker stay; this relay publishes
 *       it after {@code relay-min-age}.
 *   <li>between P and R: the message and its marker stay; this relay publishes it again. This is
 *       the duplicate: the same message with the same message id, which receivers drop.
 *   <li>between R and M2: a marker whose order no longer holds the message; removed after the
 *       grace, nothing is sent again.
 *   <li>in this relay: it only publishes (by message id), pulls after the confirm and removes
 *       markers as above, so a crash in a round is one of the cases above.
 * </ul>
 *
 * Races: the relay and the request (or two instances' relays) may publish the same messages, with
 * the same ids. Two cancellation requests for one order write the same marker (the message id is
 * one per order) and only one records the request. The one window left is a slow order write: the
 * relay may read the order before a write that started more than a grace ago lands, and remove the
 * marker. A request whose order write returned later than half the grace after its markers were
 * written writes them again before it publishes, and a replayed {@code POST /orders} whose order
 * still holds messages marks and publishes them again; only a crash in the moment between such a
 * late write landing and the markers written again would leave a message to the next replay.
 *
 * <p>Several instances: a round runs on the instance that holds the lease {@value #JOB} ({@link
 * Leases}, taken or renewed for {@code relay-lease} before each round and every third of it between
 * rounds); the others skip it, and one of them takes over (and runs a round at once) once a holder
 * that died stops renewing; an orderly stop gives the lease up. Two rounds at once (a holder slower
 * than its lease) are safe, as said above: they publish the same messages with the same ids.
 *
 * <p>Meters: gauge {@code orders.outbox.lag} (seconds since the oldest message that a marker stands
 * for was enqueued, leaving out markers found without their message; 0 when none; measured each
 * round) and counter {@code orders.outbox.relayed} (orders whose pending messages the relay
 * published).
 */
@Component
public class OutboxRelay implements SmartLifecycle {

  private static final Logger log = LoggerFactory.getLogger(OutboxRelay.class);

  /** The relay's lease in the store. */
  public static final String JOB = "order-service.outbox-relay";

  private final OrderStore store;
  private final OutboxMarkers markers;
  private final OutboxPublisher publisher;
  private final OutboxSettings settings;
  private final Clock clock;
  private final AtomicLong lagMillis = new AtomicLong();
  private final Counter relayed;
  private final Relay<List<OutboxMarker>> relay;
  private final PeriodicWork work;

  public OutboxRelay(
      OrderStore store,
      OutboxMarkers markers,
      OutboxPublisher publisher,
      OutboxSettings settings,
      Clock clock,
      Leases leases,
      MeterRegistry registry) {
    this.store = store;
    this.markers = markers;
    this.publisher = publisher;
    this.settings = settings;
    this.clock = clock;
    Gauge.builder("orders.outbox.lag", lagMillis, millis -> millis.get() / 1000.0)
        .description("Age of the oldest outbox message not yet confirmed by the broker")
        .baseUnit("seconds")
        .register(registry);
    this.relayed =
        Counter.builder("orders.outbox.relayed")
            .description("Orders whose pending outbox messages the relay published")
            .register(registry);
    this.relay = new Relay<>(clock, settings.getRelayBatchSize(), this::dueByOrder, this::relay);
    this.work =
        PeriodicWork.named("order-outbox-relay", registry)
            .every(settings.getRelayInterval())
            .underLease(
                leases,
                JOB,
                settings.getRelayLease(),
                settings.getRelayLease().dividedBy(3),
                // the holder measures the lag; 0 here keeps the sum and the maximum right
                () -> lagMillis.set(0))
            .build(this::relayDue);
  }

  /** One round: publish what is due, settle markers without a message, then measure the lag. */
  void relayDue() {
    relay.round();
    Instant measuredAt = clock.instant();
    lagMillis.set(
        markers
            .oldestPending()
            .map(oldest -> Math.max(0, Duration.between(oldest, measuredAt).toMillis()))
            .orElse(0L));
  }

  /** The due markers, oldest first, grouped by their order (each group one order's). */
  private List<List<OutboxMarker>> dueByOrder(Instant now, int limit) {
    Map<String, List<OutboxMarker>> byOrder = new LinkedHashMap<>();
    for (OutboxMarker marker : markers.due(now.minus(settings.getRelayMinAge()), now, limit)) {
      byOrder.computeIfAbsent(marker.orderId(), id -> new ArrayList<>()).add(marker);
    }
    return List.copyOf(byOrder.values());
  }

  /**
   * Publishes the order's pending messages and settles its markers that stand for none.
   *
   * @return false when the broker did not confirm a message
   */
  private boolean relay(List<OutboxMarker> due, Instant now) {
    String orderId = due.get(0).orderId();
    Optional<Order> order = store.find(orderId);
    Set<String> held =
        order.stream()
            .flatMap(o -> o.outbox().stream())
            .map(OutboxEntry::messageId)
            .collect(Collectors.toSet());
    if (!held.isEmpty()) {
      OutboxPublisher.Result result = publisher.flush(order.get());
      switch (result) {
        case DONE -> {
          relayed.increment();
          log.info("relayed the pending outbox of order {}", orderId);
        }
        case NOT_CONFIRMED -> {
          return false;
        }
        case UNDECODABLE -> {
          // it stays pending (and in the lag) until fixed by hand; look again after the grace
          for (OutboxMarker marker : due) {
            if (held.contains(marker.messageId())) {
              markers.postpone(marker, now.plus(settings.getMarkerGrace()), false);
            }
          }
        }
        case NOT_REMOVED -> {
          // published; the store did not take the removal, so the next round sends it again
        }
      }
    }
    for (OutboxMarker marker : due) {
      if (!held.contains(marker.messageId())) {
        settleWithoutMessage(marker, order.isPresent(), now);
      }
    }
    return true;
  }

  /**
   * A marker whose order does not hold its message: the request that wrote it failed before its
   * order write (or is still writing), or the message went out and the marker's removal did not.
   */
  private void settleWithoutMessage(OutboxMarker marker, boolean orderExists, Instant now) {
    Instant expires = marker.writtenAt().plus(settings.getMarkerGrace());
    if (now.isBefore(expires)) {
      markers.postpone(marker, expires, true);
    } else if (markers.removeIfUnchanged(marker)) {
      log.info(
          "removed the marker of message {}: order {} {}",
          marker.messageId(),
          marker.orderId(),
          orderExists ? "does not hold it (any more)" : "was never written");
    }
  }

  @Override
  public void start() {
    work.start();
  }

  @Override
  public void stop() {
    work.stop();
  }

  @Override
  public boolean isRunning() {
    return work.isRunning();
  }
}
