package dev.ordersaga.messaging.contracts.notification;

/**
 * What a notice tells the customer: the final outcome of an undone order, or that its refund is
 * delayed.
 */
public enum NoticeReason {
  PAYMENT_DECLINED,
  SHIPMENT_FAILED,
  CANCELLED_BY_SHOPPER,
  TIMED_OUT,
  /** An operator stopped the order and had it undone. */
  OPERATOR_ABORTED,
  /**
   * The order is being undone but its refund failed and waits for our team; the notice of the final
   * outcome follows once the money is refunded.
   */
  REFUND_DELAYED
}
