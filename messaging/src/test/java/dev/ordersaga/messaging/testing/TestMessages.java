package dev.ordersaga.messaging.testing;

import dev.ordersaga.messaging.Envelope;
import dev.ordersaga.messaging.Message;
import dev.ordersaga.messaging.contracts.order.ApproveOrder;
import dev.ordersaga.messaging.contracts.order.OrderApproved;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/** Small envelopes for tests of the plumbing, where the message's content does not matter. */
public final class TestMessages {

  private TestMessages() {}

  public static <T extends Message> Envelope<T> envelope(T payload) {
    return envelope(UUID.randomUUID().toString(), payload);
  }

  public static <T extends Message> Envelope<T> envelope(String messageId, T payload) {
    return Envelope.of(messageId, null, Instant.now(), Map.of(), payload);
  }

  /** A command routed to order-service's queue. */
  public static Envelope<ApproveOrder> approveOrder() {
    return envelope(new ApproveOrder(UUID.randomUUID().toString()));
  }

  /** An event routed to saga-engine's queue. */
  public static Envelope<OrderApproved> orderApproved() {
    return envelope(new OrderApproved(UUID.randomUUID().toString()));
  }
}
