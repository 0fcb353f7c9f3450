package dev.ordersaga.saga.journal;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.annotation.JsonRawValue;
import java.time.Instant;

/**
 * One message a saga received or sent, as analysts see it.
 *
 * @param eventId the message id (the stored event's identifier)
 * @param sagaId the saga, equal to the order id
 * @param sequence its place in the saga's stream, from 0
 * @param type the wire type, such as {@code payment.AuthorizePayment}; {@code null} for an entry of
 *     a kind this engine does not know that carries none
 * @param revision the revision of the payload's shape, or {@code null} when unknown
 * @param direction {@code in} (received by the saga) or {@code out} (sent by it)
 * @param causationId the message that caused this one, or {@code null}
 * @param occurredAt when the sender created the message
 * @param recordedAt when the journal stored it (millisecond precision)
 * @param traceId the W3C trace id (32 hex digits) of the span that made the message, from the
 *     {@code traceparent} the journal kept; one order's messages share it (find its spans in Jaeger
 *     or any OTLP backend by it); {@code null} for a message that carried none
 * @param payload the message body as JSON text, written out as a JSON object
 */
@JsonPropertyOrder({
  "eventId",
  "sagaId",
  "sequence",
  "type",
  "revision",
  "direction",
  "causationId",
  "occurredAt",
  "recordedAt",
  "traceId",
  "payload"
})
public record JournalEvent(
    String eventId,
    String sagaId,
    long sequence,
    String type,
    Integer revision,
    String direction,
    String causationId,
    Instant occurredAt,
    Instant recordedAt,
    String traceId,
    @JsonRawValue String payload) {}
