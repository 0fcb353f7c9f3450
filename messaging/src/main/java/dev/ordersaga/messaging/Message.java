package dev.ordersaga.messaging;

/**
 * A message body that travels inside an {@link Envelope}. Every implementation is a record
 * annotated with {@link WireType}, and is either a {@link Command} or an {@link Event}.
 */
public interface Message {

  /** The saga this message belongs to; by convention the order id. */
  String orderId();
}
