package dev.ordersaga.shipping.shipment;

import dev.ordersaga.messaging.contracts.shipping.ShipmentFailureReason;
import java.time.Instant;

/**
 * One shipping step of an order, keyed by the step's idempotency key, together with the replies it
 * produced (encoded envelopes), so a repeated command re-sends them instead of acting again.
 *
 * @param idempotencyKey the shipping step's key, the document's {@code _id}
 * @param shipmentId the shipment's id; {@code null} when the carrier refused it
 * @param carrier the carrier's name; {@code null} when cancelled before any booking
 * @param country the destination's ISO 3166 code; {@code null} when cancelled before any booking
 * @param bookedAt when the carrier booked it; {@code null} if it never did
 * @param scheduleReply the encoded reply to {@code ScheduleShipment}; {@code null} until one came
 * @param cancelReply the encoded reply to {@code CancelShipment}; {@code null} until one came
 * @param version counts the document's writes, for compare-and-set; {@code null} on a document
 *     written before versions were kept
 */
public record Shipment(
    String idempotencyKey,
    String orderId,
    String shipmentId,
    String carrier,
    String trackingNumber,
    String country,
    ShipmentState state,
    ShipmentFailureReason failureReason,
    String failureDetail,
    Instant createdAt,
    Instant bookedAt,
    Instant cancelledAt,
    Instant updatedAt,
    String scheduleReply,
    String cancelReply,
    Integer version) {

  static Shipment scheduled(
      String idempotencyKey,
      String orderId,
      String shipmentId,
      String carrier,
      String trackingNumber,
      String country,
      Instant now,
      String scheduleReply) {
    return new Shipment(
        idempotencyKey,
        orderId,
        shipmentId,
        carrier,
        trackingNumber,
        country,
        ShipmentState.SCHEDULED,
        null,
        null,
        now,
        now,
        null,
        now,
        scheduleReply,
        null,
        0);
  }

  static Shipment failed(
      String idempotencyKey,
      String orderId,
      String carrier,
      String country,
      ShipmentFailureReason reason,
      String detail,
      Instant now,
      String scheduleReply) {
    return new Shipment(
        idempotencyKey,
        orderId,
        null,
        carrier,
        null,
        country,
        ShipmentState.FAILED,
        reason,
        detail,
        now,
        null,
        null,
        now,
        scheduleReply,
        null,
        0);
  }

  /** A cancellation that came before any booking: nothing to undo, and nothing may book later. */
  static Shipment cancelledBeforeBooking(
      String idempotencyKey, String orderId, String shipmentId, Instant now, String cancelReply) {
    return new Shipment(
        idempotencyKey,
        orderId,
        shipmentId,
        null,
        null,
        null,
        ShipmentState.CANCELLED,
        null,
        null,
        now,
        null,
        now,
        now,
        null,
        cancelReply,
        0);
  }

  /** Whether the carrier ever booked this shipment. */
  boolean wasBooked() {
    return bookedAt != null;
  }

  /** Cancelled before any booking: the carrier must hold no booking for this key. */
  boolean isCancelledBeforeBooking() {
    return state == ShipmentState.CANCELLED && !wasBooked();
  }
}
