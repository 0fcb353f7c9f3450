package dev.ordersaga.saga.ops;

import dev.ordersaga.messaging.store.Leases;
import dev.ordersaga.saga.view.MongoSagaStatusBoard;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;

/**
 * Finds sagas that stopped moving: waiting on a step (a forward step or a compensation) whose
 * deadline fell more than {@code saga.ops.stuck-margin} ago. It reads the deadline each saga
 * published on the status board, not the deadline store, so a saga whose deadline document was lost
 * is found too. Flags them on the board ({@code stuckSince}) and keeps the count for the gauge
 * {@code saga.stuck}; a saga that moves again is unflagged by its next status.
 *
 * <p>Of several engines, the one that holds the lease {@value #JOB} ({@link Leases}, for {@link
 * #LEASE}, renewed every 2 s by {@link #holdLease}) scans; the others report 0, so the sum or the
 * maximum of {@code saga.stuck} over the engines is the count. When the holder dies, another takes
 * the lease over once it runs out, within {@code LEASE} + 2 s (8 s), and scans at once.
 */
public class StuckSagaScan {

  private static final Logger log = LoggerFactory.getLogger(StuckSagaScan.class);

  /** The lease's name in the store. */
  public static final String JOB = "saga.stuck-scan";

  /** How long the lease lasts unless its holder renews it. */
  static final Duration LEASE = Duration.ofSeconds(6);

  private final MongoSagaStatusBoard board;
  private final OpsSettings settings;
  private final Clock clock;
  private final Leases leases;
  private final AtomicLong stuck = new AtomicLong();
  private volatile boolean holding;

  public StuckSagaScan(
      MongoSagaStatusBoard board, OpsSettings settings, Clock clock, Leases leases) {
    this.board = board;
    this.settings = settings;
    this.clock = clock;
    this.leases = leases;
  }

  @Scheduled(
      fixedDelayString = "${saga.ops.stuck-scan-interval:15s}",
      initialDelayString = "${saga.ops.stuck-scan-interval:15s}")
  public void scan() {
    if (!hold()) {
      return;
    }
    scanNow();
  }

  /**
   * Takes or renews the lease between scans, so that the holder keeps it with a short lease and
   * another engine takes over soon after it dies; an engine that takes it over scans at once.
   */
  @Scheduled(fixedDelay = 2_000, initialDelay = 2_000)
  public void holdLease() {
    boolean held = holding;
    if (hold() && !held) {
      scanNow();
    }
  }

  private boolean hold() {
    holding = leases.acquire(JOB, LEASE);
    if (!holding) {
      stuck.set(0); // another engine scans and reports the count
    }
    return holding;
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
}
