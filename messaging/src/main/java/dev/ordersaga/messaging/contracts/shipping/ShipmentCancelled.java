package dev.ordersaga.messaging.contracts.shipping;

import static dev.ordersaga.messaging.contracts.Contracts.requireText;

import dev.ordersaga.messaging.Event;
import dev.ordersaga.messaging.WireType;

/** The shipment is cancelled. */
@WireType(name = "shipping.ShipmentCancelled")
public record ShipmentCancelled(String orderId, String shipmentId) implements Event {

  public ShipmentCancelled {
    requireText(orderId, "orderId");
    requireText(shipmentId, "shipmentId");
  }
}
