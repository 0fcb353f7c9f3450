package dev.ordersaga.messaging.contracts.order;

import static dev.ordersaga.messaging.contracts.Contracts.requireText;

import dev.ordersaga.messaging.Event;
import dev.ordersaga.messaging.WireType;

/** The order is approved; the saga completes. */
@WireType(name = "order.OrderApproved")
public record OrderApproved(String orderId) implements Event {

  public OrderApproved {
    requireText(orderId, "orderId");
  }
}
