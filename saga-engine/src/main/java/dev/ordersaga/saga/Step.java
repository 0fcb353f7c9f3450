package dev.ordersaga.saga;

/**
 * A step of the saga: each sends one command and waits for its reply under a deadline. The first
 * three move the order forward; the others undo it, named as the inverse of what they undo.
 */
public enum Step {
  AUTHORIZE_PAYMENT(false),
  SCHEDULE_SHIPMENT(false),
  APPROVE_ORDER(false),
  CANCEL_SHIPMENT(true),
  REFUND_PAYMENT(true),
  REJECT_ORDER(true),
  /** The last act of an undo: sent once, without a deadline (the notifier retries until sent). */
  NOTIFY_CUSTOMER(true);

  private final boolean compensation;

  Step(boolean compensation) {
    this.compensation = compensation;
  }

  public boolean isCompensation() {
    return compensation;
  }
}
