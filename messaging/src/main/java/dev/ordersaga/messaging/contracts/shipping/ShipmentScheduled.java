package dev.ordersaga.messaging.contracts.shipping;

import static dev.ordersaga.messaging.contracts.Contracts.requireText;

import dev.ordersaga.messaging.Event;
import dev.ordersaga.messaging.WireType;

/** The carrier accepted the shipment. */
@WireType(name = "shipping.ShipmentScheduled")
public record ShipmentScheduled(
    String orderId, String shipmentId, String carrier, String trackingNumber) implements Event {

  public ShipmentScheduled {
    requireText(orderId, "orderId");
    requireText(shipmentId, "shipmentId");
    requireText(carrier, "carrier");
  }
}
