package dev.ordersaga.saga;

/** Where an order saga stands (DESIGN.md, "The saga"). */
public enum SagaState {
  STARTED,
  AWAITING_PAYMENT,
  AWAITING_SHIPMENT,
  AWAITING_APPROVAL,
  COMPLETED,
  COMPENSATING,
  COMPENSATED,
  COMPENSATION_FAILED,
  PARKED;

  public boolean isTerminal() {
    return this == COMPLETED || this == COMPENSATED;
  }
}
