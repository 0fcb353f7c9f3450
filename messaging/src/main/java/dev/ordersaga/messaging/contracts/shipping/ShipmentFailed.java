package dev.ordersaga.messaging.contracts.shipping;

import static dev.ordersaga.messaging.contracts.Contracts.require;
import static dev.ordersaga.messaging.contracts.Contracts.requireText;

import dev.ordersaga.messaging.Event;
import dev.ordersaga.messaging.WireType;

/** No carrier would take the shipment; the saga refunds and rejects the order. */
@WireType(name = "shipping.ShipmentFailed")
public record ShipmentFailed(String orderId, ShipmentFailureReason reason, String detail)
    implements Event {

  public ShipmentFailed {
    requireText(orderId, "orderId");
    require(reason, "reason");
  }
}
