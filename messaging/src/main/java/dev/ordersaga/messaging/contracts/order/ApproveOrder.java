package dev.ordersaga.messaging.contracts.order;

import static dev.ordersaga.messaging.contracts.Contracts.requireText;

import dev.ordersaga.messaging.Command;
import dev.ordersaga.messaging.WireType;

/** Payment and shipment are in place: the order may be approved. */
@WireType(name = "order.ApproveOrder")
public record ApproveOrder(String orderId) implements Command {

  public ApproveOrder {
    requireText(orderId, "orderId");
  }
}
