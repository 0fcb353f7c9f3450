package dev.ordersaga.saga.ops;

import dev.ordersaga.messaging.store.Leases;
import dev.ordersaga.saga.view.MongoSagaStatusBoard;
import java.time.Clock;
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
 * <p>Of several engines, the one that holds the lease {@value #JOB} ({@link Leases}, renewed each
 * round, for twice the scan interval) scans; the others skip the round and report 0, so the sum or
 * the maximum of {@code saga.stuck} over the engines is the count. When the holder dies, another
 * takes the lease over once it runs out.
 */
public class StuckSagaScan {

  private static final Logger log = LoggerFactory.getLogger(StuckSagaScan.class);

  /** The lease's name in the store. */
  public static final String JOB = "saga.stuck-scan";

  private final MongoSagaStatusBoard board;
  private final OpsSettings settings;
  private final Clock clock;
  private final Leases leases;
  private final AtomicLong stuck = new AtomicLong();

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
    if (!leases.acquire(JOB, settings.stuckScanInterval().multipliedBy(2))) {
      stuck.set(0); // another engine scans and reports the count
      return;
    }
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
