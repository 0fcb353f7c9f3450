package dev.ordersaga.messaging.contracts.order;

import static dev.ordersaga.messaging.contracts.Contracts.requireText;

import dev.ordersaga.messaging.Event;
import dev.ordersaga.messaging.WireType;

/** The shopper asked to cancel; the saga compensates from wherever it stands, unless shipped. */
@WireType(name = "order.OrderCancellationRequested")
public record OrderCancellationRequested(String orderId, String reason) implements Event {

  public OrderCancellationRequested {
    requireText(orderId, "orderId");
  }
}
