package dev.ordersaga.messaging.contracts.shipping;

/** Why a shipment could not be scheduled. */
public enum ShipmentFailureReason {
  ADDRESS_UNDELIVERABLE,
  ITEMS_UNAVAILABLE,
  CARRIER_REJECTED
}
