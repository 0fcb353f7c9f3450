package dev.ordersaga.messaging.participant;

import dev.ordersaga.messaging.Envelope;
import dev.ordersaga.messaging.Message;
import dev.ordersaga.messaging.MessageIds;
import dev.ordersaga.messaging.codec.WireCodec;
import dev.ordersaga.messaging.rabbit.ConfirmingPublisher;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The stored-reply pattern of every participant, written once: a command's effect and the reply it
 * produced are written in one document (the participant's store does that, by its own key); the
 * reply is published after the write; a command that comes again (redelivered, or retried by the
 * saga with a new message id) finds the stored reply and publishes it again, with the same message
 * id, instead of acting twice. This class is the envelope side of it: the reply with its
 * deterministic id, its stored text, and the re-send.
 */
public final class StoredReplies {

  private static final Logger log = LoggerFactory.getLogger(StoredReplies.class);

  private final ConfirmingPublisher publisher;
  private final WireCodec codec;
  private final String service;

  /**
   * @param service the participant's name, part of every reply id it mints
   */
  public StoredReplies(ConfirmingPublisher publisher, WireCodec codec, String service) {
    this.publisher = publisher;
    this.codec = codec;
    this.service = service;
  }

  /**
   * The reply to {@code command}, with an id that depends only on {@code scope} (the command's
   * idempotency key, or the entity's id), this participant and the reply's wire type: the same on
   * every repeat of the command.
   */
  public <R extends Message> Envelope<R> reply(
      Envelope<?> command, String scope, R payload, Instant at) {
    return command.reply(MessageIds.scoped(scope, service, wireType(payload)), at, payload);
  }

  /**
   * A reply to this one delivery of {@code command} (its message id is part of the reply's id), for
   * an answer that is not stored to be repeated, such as a refusal a later retry may not get.
   */
  public <R extends Message> Envelope<R> replyToDelivery(
      Envelope<?> command, String scope, R payload, Instant at) {
    return command.reply(
        MessageIds.scoped(scope, service, wireType(payload), command.messageId()), at, payload);
  }

  /** The reply as it is stored beside the effect: the envelope's wire JSON. */
  public String encode(Envelope<?> reply) {
    return new String(codec.encode(reply), StandardCharsets.UTF_8);
  }

  /** A stored reply, as it was published first. */
  public Envelope<Message> decode(String stored) {
    return codec.decode(stored.getBytes(StandardCharsets.UTF_8));
  }

  /** Publishes a reply once its effect is stored (confirmed: a failure throws, and is retried). */
  public void publish(Envelope<?> reply) {
    publisher.publish(reply);
  }

  /**
   * Publishes a stored reply again, with its first message id, and returns it.
   *
   * @throws IllegalStateException when the entity holds no reply where one was expected
   */
  public Envelope<Message> resend(String stored) {
    if (stored == null) {
      throw new IllegalStateException("no stored reply where one was expected");
    }
    Envelope<Message> reply = decode(stored);
    log.info("re-sending the stored {} {}", reply.type(), reply.messageId());
    publisher.publish(reply);
    return reply;
  }

  private static String wireType(Message payload) {
    return Envelope.wireTypeOf(payload.getClass()).name();
  }
}
