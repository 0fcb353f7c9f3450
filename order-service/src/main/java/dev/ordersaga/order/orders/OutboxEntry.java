package dev.ordersaga.order.orders;

import dev.ordersaga.messaging.Envelope;
import dev.ordersaga.messaging.codec.WireCodec;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * A message the order still has to publish, kept in the order's own document until the broker has
 * confirmed it.
 *
 * @param messageId the envelope's message id, by which the entry is removed after the confirm
 * @param type the envelope's wire type, for logs
 * @param envelope the encoded envelope (wire JSON)
 * @param enqueuedAt when the entry was written; the relay picks entries older than its minimum age
 */
public record OutboxEntry(String messageId, String type, String envelope, Instant enqueuedAt) {

  public static OutboxEntry of(Envelope<?> envelope, WireCodec codec, Instant enqueuedAt) {
    return new OutboxEntry(
        envelope.messageId(),
        envelope.type(),
        new String(codec.encode(envelope), StandardCharsets.UTF_8),
        enqueuedAt);
  }

  public byte[] envelopeBytes() {
    return envelope.getBytes(StandardCharsets.UTF_8);
  }
}
