package dev.ordersaga.shipping.carrier;

import dev.ordersaga.messaging.contracts.Address;
import dev.ordersaga.messaging.contracts.LineItem;
import java.util.List;

/**
 * A carrier that books and cancels shipments. Calls are idempotent by key: repeating a call with
 * the same key never books twice and gives the first answer again.
 */
public interface Carrier {

  /** The carrier's name, reported in {@code ShipmentScheduled} and the shipments listing. */
  String name();

  /**
   * Books a shipment, or refuses it for good.
   *
   * @param idempotencyKey the shipping step's key; a repeat with the same key returns the first
   *     answer
   * @throws CarrierUnavailableException when the carrier did not answer; the booking may or may not
   *     exist, so repeat the call with the same key
   */
  Booking book(String idempotencyKey, Address address, List<LineItem> items);

  /**
   * Cancels the booking made with this key, if there is one that is not cancelled yet; does nothing
   * otherwise.
   *
   * @throws CarrierUnavailableException when the carrier did not answer; repeat with the same key
   */
  void cancel(String idempotencyKey);
}
