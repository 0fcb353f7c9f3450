package dev.ordersaga.messaging.contracts.notification;

/** The final outcome a notice tells the customer about. */
public enum NoticeReason {
  PAYMENT_DECLINED,
  SHIPMENT_FAILED,
  CANCELLED_BY_SHOPPER,
  TIMED_OUT,
  /** An operator stopped the order and had it undone. */
  OPERATOR_ABORTED
}
