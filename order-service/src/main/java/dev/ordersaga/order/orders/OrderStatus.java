package dev.ordersaga.order.orders;

/**
 * Where an order stands for the shopper. PENDING until the saga decides; REFUND_PENDING while it is
 * being undone but its refund failed and waits for our team (REJECTED or CANCELLED follows once the
 * refund is made); APPROVED, REJECTED and CANCELLED are final and never change again.
 */
public enum OrderStatus {
  PENDING,
  REFUND_PENDING,
  APPROVED,
  REJECTED,
  CANCELLED;

  /** APPROVED, REJECTED or CANCELLED: the status never changes again. */
  public boolean isFinal() {
    return this != PENDING && this != REFUND_PENDING;
  }

  /**
   * Whether the saga has decided the order's fate (final, or being undone with its refund owed):
   * what a shopper waiting for the outcome waits for, and past which a cancellation is too late.
   */
  public boolean isDecided() {
    return this != PENDING;
  }
}
