package dev.ordersaga.messaging.contracts.shipping;

import static dev.ordersaga.messaging.contracts.Contracts.requireText;

import dev.ordersaga.messaging.Command;
import dev.ordersaga.messaging.WireType;

/**
 * Compensation of {@link ScheduleShipment}: cancel a booked shipment that has not left.
 *
 * @param idempotencyKey the key of the shipping step being undone
 */
@WireType(name = "shipping.CancelShipment")
public record CancelShipment(String orderId, String idempotencyKey, String shipmentId)
    implements Command {

  public CancelShipment {
    requireText(orderId, "orderId");
    requireText(idempotencyKey, "idempotencyKey");
    requireText(shipmentId, "shipmentId");
  }
}
