package dev.ordersaga.saga;

import dev.ordersaga.messaging.Command;
import dev.ordersaga.messaging.contracts.notification.NotifyCustomer;
import dev.ordersaga.messaging.contracts.order.ApproveOrder;
import dev.ordersaga.messaging.contracts.order.MarkRefundPending;
import dev.ordersaga.messaging.contracts.order.RejectOrder;
import dev.ordersaga.messaging.contracts.payment.AuthorizePayment;
import dev.ordersaga.messaging.contracts.payment.RefundPayment;
import dev.ordersaga.messaging.contracts.shipping.CancelShipment;
import dev.ordersaga.messaging.contracts.shipping.ScheduleShipment;

/**
 * A step of the saga: each sends one command and waits for its reply under a deadline. The first
 * three move the order forward; the others undo it, named as the inverse of what they undo.
 */
public enum Step {
  AUTHORIZE_PAYMENT(false, AuthorizePayment.class),
  SCHEDULE_SHIPMENT(false, ScheduleShipment.class),
  APPROVE_ORDER(false, ApproveOrder.class),
  CANCEL_SHIPMENT(true, CancelShipment.class),
  REFUND_PAYMENT(true, RefundPayment.class),
  REJECT_ORDER(true, RejectOrder.class),
  /**
   * The last act of an undo: sent once, without a deadline (the notifier retries until sent). Also
   * the notice that a refund is delayed; each notice of a saga is the next attempt of this step.
   */
  NOTIFY_CUSTOMER(true, NotifyCustomer.class),
  /**
   * When a refund fails and waits for an operator: the order shows the shopper REFUND_PENDING. Sent
   * once, without a deadline or a reply.
   */
  MARK_REFUND_PENDING(true, MarkRefundPending.class);

  private final boolean compensation;
  private final Class<? extends Command> command;

  Step(boolean compensation, Class<? extends Command> command) {
    this.compensation = compensation;
    this.command = command;
  }

  public boolean isCompensation() {
    return compensation;
  }

  /** The contract record of the command this step sends. */
  public Class<? extends Command> command() {
    return command;
  }
}
