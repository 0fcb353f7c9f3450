package dev.ordersaga.saga.view;

import dev.ordersaga.saga.SagaState;
import dev.ordersaga.saga.Step;
import java.time.Instant;
import java.util.Set;

/**
 * What to look for on the status board. Every criterion is optional ({@code null} matches all);
 * given ones must all hold.
 *
 * @param states any of these states
 * @param reason the failure reason, such as {@code SHIPMENT_FAILED}
 * @param email the customer's e-mail address, compared without regard to case
 * @param startedBefore started before this instant (older than)
 * @param startedAfter started after this instant (newer than)
 * @param stuck whether the saga is stuck: waiting on a deadline that fell before {@code
 *     stuckIfDueBefore}; {@code null} for either
 * @param stuckIfDueBefore required when {@code stuck} is given: now minus the stuck margin
 */
public record SagaQuery(
    Set<SagaState> states,
    Step step,
    String reason,
    String customerId,
    String email,
    Instant startedBefore,
    Instant startedAfter,
    Boolean stuck,
    Instant stuckIfDueBefore) {

  public SagaQuery {
    states = states == null || states.isEmpty() ? null : Set.copyOf(states);
    if (stuck != null && stuckIfDueBefore == null) {
      throw new IllegalArgumentException("stuckIfDueBefore is required with stuck");
    }
  }
}
