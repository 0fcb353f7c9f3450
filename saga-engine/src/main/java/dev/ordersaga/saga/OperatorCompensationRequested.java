package dev.ordersaga.saga;

import dev.ordersaga.messaging.WireType;

/**
 * Give up the order: undo what was done in reverse order with reason {@code OPERATOR_ABORTED}, and
 * tell the customer.
 */
@WireType(name = "saga.OperatorCompensationRequested")
public record OperatorCompensationRequested(
    String orderId, String actionId, String operator, String reason) implements OperatorRequest {

  @Override
  public OperatorAction action() {
    return OperatorAction.COMPENSATE;
  }
}
