package dev.ordersaga.shipping.shipment;

import dev.ordersaga.messaging.contracts.shipping.ShipmentFailureReason;
import java.time.Instant;

/**
 * A shipment as {@code GET /shipments} shows it. Fields that do not apply are {@code null}: no
 * {@code shipmentId} or {@code trackingNumber} when the carrier refused, no carrier or country when
 * a cancellation came before any booking.
 */
public record ShipmentView(
    String shipmentId,
    String orderId,
    String carrier,
    String trackingNumber,
    String country,
    ShipmentState state,
    ShipmentFailureReason failureReason,
    String failureDetail,
    Instant createdAt,
    Instant bookedAt,
    Instant cancelledAt,
    Instant updatedAt) {

  static ShipmentView of(Shipment shipment) {
    return new ShipmentView(
        shipment.shipmentId(),
        shipment.orderId(),
        shipment.carrier(),
        shipment.trackingNumber(),
        shipment.country(),
        shipment.state(),
        shipment.failureReason(),
        shipment.failureDetail(),
        shipment.createdAt(),
        shipment.bookedAt(),
        shipment.cancelledAt(),
        shipment.updatedAt());
  }
}
