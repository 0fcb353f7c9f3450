package dev.ordersaga.messaging.contracts.order;

import static dev.ordersaga.messaging.contracts.Contracts.require;
import static dev.ordersaga.messaging.contracts.Contracts.requireText;

import dev.ordersaga.messaging.Command;
import dev.ordersaga.messaging.WireType;

/** Compensation of placing the order: mark it rejected, for the given reason. */
@WireType(name = "order.RejectOrder")
public record RejectOrder(String orderId, RejectionReason reason) implements Command {

  public RejectOrder {
    requireText(orderId, "orderId");
    require(reason, "reason");
  }
}
