package dev.ordersaga.messaging.contracts.order;

/** Why an order was rejected. */
public enum RejectionReason {
  PAYMENT_DECLINED,
  SHIPMENT_FAILED,
  CANCELLED_BY_SHOPPER,
  TIMED_OUT,
  /** An operator stopped the order and had it undone. */
  OPERATOR_ABORTED
}
