package dev.ordersaga.shipping.shipment;

/** Where a shipment stands. */
public enum ShipmentState {
  /** The carrier booked it. */
  SCHEDULED,
  /** The carrier refused it; nothing was booked. */
  FAILED,
  /**
   * Cancelled: a booked shipment the carrier has cancelled, or (with no {@code bookedAt}) a
   * cancellation that arrived before any booking, which keeps a later booking from happening.
   */
  CANCELLED
}
