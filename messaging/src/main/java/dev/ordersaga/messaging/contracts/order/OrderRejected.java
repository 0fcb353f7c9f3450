package dev.ordersaga.messaging.contracts.order;

import static dev.ordersaga.messaging.contracts.Contracts.require;
import static dev.ordersaga.messaging.contracts.Contracts.requireText;

import dev.ordersaga.messaging.Event;
import dev.ordersaga.messaging.WireType;

/** The order is rejected. */
@WireType(name = "order.OrderRejected")
public record OrderRejected(String orderId, RejectionReason reason) implements Event {

  public OrderRejected {
    requireText(orderId, "orderId");
    require(reason, "reason");
  }
}
