package dev.ordersaga.order.outbox;

import dev.ordersaga.order.orders.Order;
import dev.ordersaga.order.orders.OrderStore;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Re-publishes outbox messages that their request did not get confirmed (the broker was away, or
 * the service stopped between writing the order and publishing): every {@code
 * order-service.outbox.relay-interval} it takes the orders whose oldest pending message is older
 * than {@code relay-min-age} and flushes them through {@link OutboxPublisher}, oldest first. A
 * round stops at the first message the broker does not confirm, and the next round tries again.
 *
 * <p>Meters: gauge {@code orders.outbox.lag} (seconds since the oldest pending message was written,
 * 0 when none is pending; measured each round) and counter {@code orders.outbox.relayed} (orders
 * whose pending messages the relay published).
 */
@Component
public class OutboxRelay implements SmartLifecycle {

  private static final Logger log = LoggerFactory.getLogger(OutboxRelay.class);

  private final OrderStore store;
  private final OutboxPublisher publisher;
  private final OutboxSettings settings;
  private final Clock clock;
  private final AtomicLong lagMillis = new AtomicLong();
  private final Counter relayed;
  private ScheduledExecutorService scheduler;

  public OutboxRelay(
      OrderStore store,
      OutboxPublisher publisher,
      OutboxSettings settings,
      Clock clock,
      MeterRegistry registry) {
    this.store = store;
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
  }

  /** One round: publish what is due, then measure the lag. */
  void relayDue() {
    Instant now = clock.instant();
    List<Order> due =
        store.withOutboxEnqueuedBefore(
            now.minus(settings.getRelayMinAge()), settings.getRelayBatchSize());
    for (Order order : due) {
      OutboxPublisher.Result result = publisher.flush(order);
      if (result == OutboxPublisher.Result.DONE) {
        relayed.increment();
        log.info("relayed the pending outbox of order {}", order.orderId());
      } else if (result == OutboxPublisher.Result.NOT_CONFIRMED) {
        break; // the broker is not taking messages; the next round tries again
      }
    }
    Instant measuredAt = clock.instant();
    lagMillis.set(
        store
            .oldestOutboxEntry(measuredAt)
            .map(oldest -> Math.max(0, Duration.between(oldest, measuredAt).toMillis()))
            .orElse(0L));
  }

  private void round() {
    try {
      relayDue();
    } catch (RuntimeException e) {
      log.warn("outbox relay round failed; retrying in {}", settings.getRelayInterval(), e);
    }
  }

  @Override
  public synchronized void start() {
    if (scheduler == null) {
      scheduler =
          Executors.newSingleThreadScheduledExecutor(
              runnable -> {
                Thread thread = new Thread(runnable, "order-outbox-relay");
                thread.setDaemon(true);
                return thread;
              });
      long interval = settings.getRelayInterval().toMillis();
      scheduler.scheduleWithFixedDelay(this::round, interval, interval, TimeUnit.MILLISECONDS);
    }
  }

  @Override
  public synchronized void stop() {
    if (scheduler != null) {
      scheduler.shutdown();
      try {
        if (!scheduler.awaitTermination(5, TimeUnit.SECONDS)) {
          scheduler.shutdownNow();
        }
      } catch (InterruptedException e) {
        scheduler.shutdownNow();
        Thread.currentThread().interrupt();
      }
      scheduler = null;
    }
  }

  @Override
  public synchronized boolean isRunning() {
    return scheduler != null;
  }
}
