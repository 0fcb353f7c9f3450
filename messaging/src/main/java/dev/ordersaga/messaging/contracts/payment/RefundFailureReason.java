package dev.ordersaga.messaging.contracts.payment;

/** Why a refund failed, and whether asking again can help. */
public enum RefundFailureReason {
  /** The provider could not be reached or answered with an error: asking again may succeed. */
  PROVIDER_UNAVAILABLE,
  /** There is no such charge to refund: asking again gets the same answer. */
  PAYMENT_NOT_FOUND,
  /** The provider said no to this refund: asking again gets the same answer until it is fixed. */
  PROVIDER_REJECTED;

  /**
   * Whether this is a definite answer (the refund was refused, not lost): the saga raises
   * COMPENSATION_FAILED at once instead of asking again.
   */
  public boolean isDefinite() {
    return this != PROVIDER_UNAVAILABLE;
  }
}
