package dev.ordersaga.messaging.rabbit;

import dev.ordersaga.messaging.Envelope;
import dev.ordersaga.messaging.Message;

/**
 * Handles one message. It returns once the message's effects are durable; only then is the message
 * acked. An exception means "not handled": the message is delivered again, and parked with the
 * error after the last allowed delivery. Throw {@link RejectedMessageException} for a message no
 * retry can fix, to park it at once.
 */
@FunctionalInterface
public interface MessageHandler {

  void handle(Envelope<Message> envelope) throws Exception;
}
