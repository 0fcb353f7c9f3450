package dev.ordersaga.saga.ops;

import dev.ordersaga.messaging.store.Leases;
import dev.ordersaga.messaging.work.PeriodicWork;
import dev.ordersaga.saga.view.MongoSagaStatusBoard;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Finds sagas that stopped moving: waiting on a step (a forward step or a compensation) whose
 * deadline fell more than {@code saga.ops.stuck-margin} ago. It reads the deadline each saga
 * published on the status board, not the deadline store, so a saga whose deadline document was lost
 * is found too. Flags them on the board ({@code stuckSince}) and keeps the count for the gauge
 * {@code saga.stuck}; a saga that moves again is unflagged by its next status.
 *
 * <p>It scans every {@code saga.ops.stuck-scan-interval} (15 s), a {@link PeriodicWork} ({@code
 * saga-stuck-scan}) under the lease {@value #JOB} ({@link Leases}, for {@link #LEASE}, renewed
 * every {@link #RENEW_EVERY}): of several engines, the one that holds it scans; the others report
 * 0, so the sum or the maximum of {@code saga.stuck} over the engines is the count. When the holder
 * dies, another takes the lease over once it runs out, within {@code LEASE} + {@code RENEW_EVERY}
 * (8 s), and scans at once.
 */
public class StuckSagaScan implements SmartLifecycle {

  private static final Logger log = LoggerFactory.getLogger(StuckSagaScan.class);

  /** The lease's name in the store. */
  public static final String JOB = "saga.stuck-scan";

  /** How long the lease lasts unless its holder renews it. */
  static final Duration LEASE = Duration.ofSeconds(6);

  /** How often the lease is renewed between scans. */
  static final Duration RENEW_EVERY = Duration.ofSeconds(2);

  private final MongoSagaStatusBoard board;
  private final OpsSettings settings;
  private final Clock clock;
  private final AtomicLong stuck = new AtomicLong();
  private final PeriodicWork work;

  public StuckSagaScan(
      MongoSagaStatusBoard board,
      OpsSettings settings,
      Clock clock,
      Leases leases,
      MeterRegistry meters) {
    this.board = board;
    this.settings = settings;
    this.clock = clock;
    this.work =
        PeriodicWork.named("saga-stuck-scan", meters)
            .every(settings.stuckScanInterval())
            .underLease(
                leases,
                JOB,
                LEASE,
                RENEW_EVERY,
                () -> stuck.set(0)) // another engine scans and reports the count
            .build(this::scanNow);
  }

  /** The scan's background work: its rounds, and its lease ({@link PeriodicWork#renewLease}). */
  PeriodicWork work() {
    return work;
  }

  private void scanNow() {
    Instant now = clock.instant();
    Instant dueBefore = now.minus(settings.stuckMargin());
    long flagged = board.flagStuck(dueBefore, now);
    stuck.set(board.countStuck(dueBefore));
    if (flagged > 0) {
      log.warn(
          "{} saga(s) newly stuck past their deadline plus {} ({} stuck in all): GET"
              + " /ops/sagas?stuck=true",
          flagged,
          settings.stuckMargin(),
          stuck.get());
    }
  }

  /** Sagas stuck at the last scan. */
  public long stuck() {
    return stuck.get();
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
