package dev.ordersaga.messaging.inbox;

/**
 * The ids of the messages a consumer has handled, so a redelivered message has its effect once.
 *
 * <p>The consumer asks {@link #isProcessed} before it runs a handler and calls {@link
 * #markProcessed} after the handler's effects are durable and before it acks. A redelivery after
 * that (an ack lost with the connection, a duplicate publish) is acked and skipped. A crash between
 * the handler's effect and {@code markProcessed} still redelivers: handlers whose effect must not
 * repeat keep it keyed by the message in their own document, as the participants do (DESIGN.md,
 * "Participants").
 */
public interface Inbox {

  boolean isProcessed(String consumer, String messageId);

  /** Records the message as handled; recording it twice is harmless. */
  void markProcessed(String consumer, String messageId);
}
