package dev.ordersaga.messaging.contracts.order;

import static dev.ordersaga.messaging.contracts.Contracts.require;
import static dev.ordersaga.messaging.contracts.Contracts.requireText;

import dev.ordersaga.messaging.Command;
import dev.ordersaga.messaging.WireType;

/**
 * The order is being undone, but its refund failed and waits for an operator: show the shopper
 * REFUND_PENDING with the reason the order is undone. Sent once, with no reply and no deadline; the
 * {@link RejectOrder} that follows the refund settles the order.
 */
@WireType(name = "order.MarkRefundPending")
public record MarkRefundPending(String orderId, RejectionReason reason) implements Command {

  public MarkRefundPending {
    requireText(orderId, "orderId");
    require(reason, "reason");
  }
}
