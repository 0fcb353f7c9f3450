package dev.ordersaga.saga;

import dev.ordersaga.messaging.WireType;

/**
 * Send the step in progress again now, as the first attempt of a new run (a fresh budget of
 * attempts); from COMPENSATION_FAILED the saga compensates again.
 */
@WireType(name = "saga.OperatorRetryRequested")
public record OperatorRetryRequested(
    String orderId, String actionId, String operator, String reason) implements OperatorRequest {

  @Override
  public OperatorAction action() {
    return OperatorAction.RETRY;
  }
}
