package dev.ordersaga.saga;

import static dev.ordersaga.saga.SagaState.AWAITING_APPROVAL;
import static dev.ordersaga.saga.SagaState.AWAITING_PAYMENT;
import static dev.ordersaga.saga.SagaState.AWAITING_SHIPMENT;
import static dev.ordersaga.saga.SagaState.COMPENSATING;
import static dev.ordersaga.saga.SagaState.COMPENSATION_FAILED;
import static dev.ordersaga.saga.SagaState.PARKED;

import java.util.Locale;
import java.util.Optional;

/**
 * What an operator can ask of one saga, and in which states each makes sense. The saga applies
 * these rules when it handles the request, and the operator API applies the same rules before it
 * records one, so a request that makes no sense is refused up front.
 */
public enum OperatorAction {
  /** Send the step in progress again now, with a fresh budget of attempts. */
  RETRY,
  /** Run the forward step the saga stands at again, with corrected input. */
  RESUME,
  /** Give up the order: undo what was done, in reverse order, and tell the customer. */
  COMPENSATE,
  /** Quarantine: the saga notes what arrives but acts on nothing, and has no deadline. */
  PARK,
  /** Back to where the saga stood when parked. */
  UNPARK;

  /** The name in the operator API's paths and in the audit log, such as {@code retry}. */
  public String pathName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Optional<OperatorAction> fromPathName(String name) {
    for (OperatorAction action : values()) {
      if (action.pathName().equals(name)) {
        return Optional.of(action);
      }
    }
    return Optional.empty();
  }

  /**
   * Why this action makes no sense for a saga at {@code at}, or empty when it may go ahead.
   *
   * @param fromStep the step to resume from; used by {@link #RESUME} only
   */
  public Optional<String> refusal(SagaStatus at, Step fromStep) {
    SagaState state = at.state();
    if (state.isTerminal()) {
      return Optional.of("the saga is " + state + ": there is nothing left to " + pathName());
    }
    if (state == SagaState.STARTED || at.step() == null) {
      return Optional.of("the saga has no step in progress");
    }
    SagaState standing = at.standing();
    return switch (this) {
      case RETRY ->
          state == PARKED
              ? Optional.of("the saga is parked: unpark it, resume it or compensate it")
              : Optional.empty();
      case RESUME -> resumeRefusal(at, standing, fromStep);
      case COMPENSATE -> {
        if (standing == COMPENSATING || standing == COMPENSATION_FAILED) {
          yield Optional.of("the saga is already undoing the order (" + standing + ")");
        }
        if (standing == AWAITING_APPROVAL) {
          yield Optional.of(
              "approval was asked for: the order service may approve the order at any moment,"
                  + " and an approved order is never undone");
        }
        yield Optional.empty();
      }
      case PARK -> state == PARKED ? Optional.of("the saga is already parked") : Optional.empty();
      case UNPARK -> state == PARKED ? Optional.empty() : Optional.of("the saga is not parked");
    };
  }

  private static Optional<String> resumeRefusal(SagaStatus at, SagaState standing, Step fromStep) {
    if (fromStep == null || fromStep.isCompensation()) {
      return Optional.of(
          "resume runs a forward step: AUTHORIZE_PAYMENT, SCHEDULE_SHIPMENT or" + " APPROVE_ORDER");
    }
    if (standing != AWAITING_PAYMENT
        && standing != AWAITING_SHIPMENT
        && standing != AWAITING_APPROVAL) {
      return Optional.of(
          "the saga is undoing the order (" + standing + "): it cannot go forward again");
    }
    if (fromStep != at.step()) {
      return Optional.of(
          "the saga stands at "
              + at.step()
              + ", not "
              + fromStep
              + ": resume runs the step the saga stands at again");
    }
    if (at.heldReply() != null) {
      return Optional.of(
          "the step was answered while the saga was parked ("
              + at.heldReply()
              + "): unpark it to act on the answer");
    }
    return Optional.empty();
  }
}
