package dev.ordersaga.saga;

import java.time.Instant;

/**
 * A saga's current position.
 *
 * @param step the step in progress (while parked: the step it stood at), or {@code null} when none
 *     is
 * @param reason why it is compensating or failed, or {@code null}
 * @param incident while COMPENSATION_FAILED (also parked from it): why the compensation step
 *     failed, such as {@code PROVIDER_REJECTED refund_failed} (a refusal's reason and detail) or
 *     {@code TIMED_OUT no answer after 5 attempts}; {@code null} otherwise
 * @param customerId who placed the order, for operators' searches
 * @param customerEmail the customer's e-mail address, as the order gave it
 * @param parkedFrom the state an operator parked the saga in, or {@code null} unless {@code PARKED}
 * @param deadlineAt when the attempt in progress times out, or {@code null} when the saga waits
 *     under no deadline (finished, parked, or compensation failed)
 * @param heldReply wire type of a reply to the step that arrived while the saga was parked: it is
 *     acted on when the saga is unparked; {@code null} when none
 * @param lastAction the operator action the saga handled last, or {@code null}
 */
public record SagaStatus(
    String orderId,
    SagaState state,
    Step step,
    int attempt,
    String reason,
    String incident,
    boolean cancelRequested,
    Instant startedAt,
    Instant updatedAt,
    String customerId,
    String customerEmail,
    SagaState parkedFrom,
    Instant deadlineAt,
    String heldReply,
    LastAction lastAction) {

  /** Where the saga stands: its state (the parked-from state while parked). */
  public SagaState standing() {
    return state == SagaState.PARKED ? parkedFrom : state;
  }

  /**
   * The operator action a saga handled last.
   *
   * @param applied whether the saga carried it out; if not, {@code detail} says why
   */
  public record LastAction(
      String actionId, OperatorAction action, boolean applied, String detail) {}
}
