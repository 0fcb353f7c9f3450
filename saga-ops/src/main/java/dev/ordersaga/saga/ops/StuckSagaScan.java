package dev.ordersaga.saga.ops;

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
 */
public class StuckSagaScan {

  private static final Logger log = LoggerFactory.getLogger(StuckSagaScan.class);

  private final MongoSagaStatusBoard board;
  private final OpsSettings settings;
  private final Clock clock;
  private final AtomicLong stuck = new AtomicLong();

  public StuckSagaScan(MongoSagaStatusBoard board, OpsSettings settings, Clock clock) {
    this.board = board;
    this.settings = settings;
    this.clock = clock;
  }

  @Scheduled(
      fixedDelayString = "${saga.ops.stuck-scan-interval:15s}",
      initialDelayString = "${saga.ops.stuck-scan-interval:15s}")
  public void scan() {
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
