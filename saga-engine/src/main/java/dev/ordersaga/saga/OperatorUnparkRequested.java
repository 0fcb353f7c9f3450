package dev.ordersaga.saga;

import dev.ordersaga.messaging.WireType;

/**
 * Back to where the saga stood when parked: a reply that arrived meanwhile is acted on, otherwise
 * the step is sent again.
 */
@WireType(name = "saga.OperatorUnparkRequested")
public record OperatorUnparkRequested(
    String orderId, String actionId, String operator, String reason) implements OperatorRequest {

  @Override
  public OperatorAction action() {
    return OperatorAction.UNPARK;
  }
}
