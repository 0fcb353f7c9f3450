package dev.ordersaga.messaging.contracts.shipping;

import static dev.ordersaga.messaging.contracts.Contracts.require;
import static dev.ordersaga.messaging.contracts.Contracts.requireNonEmpty;
import static dev.ordersaga.messaging.contracts.Contracts.requireText;

import dev.ordersaga.messaging.Command;
import dev.ordersaga.messaging.WireType;
import dev.ordersaga.messaging.contracts.Address;
import dev.ordersaga.messaging.contracts.LineItem;
import java.util.List;

/**
 * Book a shipment of the order's items with a carrier.
 *
 * @param idempotencyKey minted once for the saga's shipping step; retries and {@link
 *     CancelShipment} reuse it, so the carrier books once
 */
@WireType(name = "shipping.ScheduleShipment")
public record ScheduleShipment(
    String orderId, String idempotencyKey, Address address, List<LineItem> items)
    implements Command {

  public ScheduleShipment {
    requireText(orderId, "orderId");
    requireText(idempotencyKey, "idempotencyKey");
    require(address, "address");
    items = requireNonEmpty(items, "items");
  }
}
