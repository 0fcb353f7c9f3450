package dev.ordersaga.messaging;

import dev.ordersaga.messaging.tracing.CurrentTrace;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * What travels on the wire: the message and the facts every hop needs to be safe to repeat.
 *
 * <p>Ids have the form every reader checks ({@link MessageIds#isMessageId}, {@link
 * MessageIds#isSagaId}), so a service cannot make a message that the codec on the other side
 * refuses; the rest of the wire rules are the codec's ({@code WireCodec#decode}).
 *
 * @param messageId unique per message; deterministic for a retry (see {@link MessageIds})
 * @param sagaId the saga this belongs to, equal to the order id
 * @param causationId the id of the message that caused this one, or {@code null} for a first cause
 * @param type stable wire name of the payload, see {@link WireType}
 * @param revision revision of the payload's shape
 * @param occurredAt when the sender created the message
 * @param trace W3C trace context ({@code traceparent}, {@code tracestate}); may be empty
 * @param payload the message itself
 */
public record Envelope<T extends Message>(
    String messageId,
    String sagaId,
    String causationId,
    String type,
    int revision,
    Instant occurredAt,
    Map<String, String> trace,
    T payload) {

  public Envelope {
    requireText(messageId, "messageId");
    requireText(sagaId, "sagaId");
    requireText(type, "type");
    if (!MessageIds.isMessageId(messageId)) {
      throw new IllegalArgumentException("messageId is not a message id: " + messageId);
    }
    if (!MessageIds.isSagaId(sagaId)) {
      throw new IllegalArgumentException("sagaId is not a saga id: " + sagaId);
    }
    if (causationId != null && !MessageIds.isMessageId(causationId)) {
      throw new IllegalArgumentException("causationId is not a message id: " + causationId);
    }
    Objects.requireNonNull(occurredAt, "occurredAt is required");
    Objects.requireNonNull(payload, "payload is required");
    if (revision < 1) {
      throw new IllegalArgumentException("revision must be 1 or more, was " + revision);
    }
    trace = trace == null ? Map.of() : Map.copyOf(trace);
  }

  /**
   * Wraps a payload, taking its wire type from {@link WireType} and its saga id from the order id.
   */
  public static <T extends Message> Envelope<T> of(
      String messageId,
      String causationId,
      Instant occurredAt,
      Map<String, String> trace,
      T payload) {
    WireType wireType = wireTypeOf(payload.getClass());
    return new Envelope<>(
        messageId,
        payload.orderId(),
        causationId,
        wireType.name(),
        wireType.revision(),
        occurredAt,
        trace,
        payload);
  }

  /**
   * A reply or follow-up to this message: same saga, caused by this message, in the same trace (a
   * child of the span running now, such as the handler's, or else this message's trace context).
   */
  public <R extends Message> Envelope<R> reply(String replyId, Instant occurredAt, R reply) {
    return of(replyId, messageId, occurredAt, CurrentTrace.orElse(trace), reply);
  }

  public boolean isCommand() {
    return payload instanceof Command;
  }

  public static WireType wireTypeOf(Class<?> payloadType) {
    WireType wireType = payloadType.getAnnotation(WireType.class);
    if (wireType == null) {
      throw new IllegalArgumentException(payloadType.getName() + " has no @WireType");
    }
    return wireType;
  }

  private static void requireText(String value, String field) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(field + " is required");
    }
  }
}
