package dev.ordersaga.saga;

import dev.ordersaga.messaging.WireType;

/** Quarantine the saga: it drops its deadline and acts on nothing until unparked. */
@WireType(name = "saga.OperatorParkRequested")
public record OperatorParkRequested(String orderId, String actionId, String operator, String reason)
    implements OperatorRequest {

  @Override
  public OperatorAction action() {
    return OperatorAction.PARK;
  }
}
