package dev.ordersaga.order.outbox;

import dev.ordersaga.messaging.Envelope;
import dev.ordersaga.messaging.Message;
import dev.ordersaga.messaging.codec.UndecodableMessageException;
import dev.ordersaga.messaging.codec.WireCodec;
import dev.ordersaga.messaging.rabbit.ConfirmingPublisher;
import dev.ordersaga.messaging.rabbit.PublishException;
import dev.ordersaga.order.orders.Order;
import dev.ordersaga.order.orders.OrderStore;
import dev.ordersaga.order.orders.OutboxEntry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.stereotype.Component;

/**
 * Publishes an order's pending messages, oldest first, and once the broker has confirmed one,
 * removes it from the order's outbox and then removes its {@link OutboxMarkers marker}. Stops at
 * the first message that cannot be published, so an order's messages leave in the order they were
 * written; what is left stays for the {@link OutboxRelay}. A message may be published twice (a
 * crash between the confirm and the removal, or the relay racing a request): it keeps its message
 * id, and receivers drop the duplicate.
 */
@Component
@EnableConfigurationProperties(OutboxSettings.class)
public class OutboxPublisher {

  private static final Logger log = LoggerFactory.getLogger(OutboxPublisher.class);

  /** How a flush ended. */
  public enum Result {
    /** Every pending message is published and removed. */
    DONE,
    /** The broker did not confirm a message; it and those after it stay pending. */
    NOT_CONFIRMED,
    /** A message was published but the store did not take its removal; it will be sent again. */
    NOT_REMOVED,
    /** A stored message cannot be decoded; it blocks its order's outbox until fixed by hand. */
    UNDECODABLE
  }

  private final OrderStore store;
  private final OutboxMarkers markers;
  private final ConfirmingPublisher publisher;
  private final WireCodec codec;

  public OutboxPublisher(
      OrderStore store, OutboxMarkers markers, ConfirmingPublisher publisher, WireCodec codec) {
    this.store = store;
    this.markers = markers;
    this.publisher = publisher;
    this.codec = codec;
  }

  /** Publishes the pending messages of this copy of the order; never throws. */
  public Result flush(Order order) {
    for (OutboxEntry entry : order.outbox()) {
      Envelope<Message> envelope;
      try {
        envelope = codec.decode(entry.envelopeBytes());
      } catch (UndecodableMessageException e) {
        log.error(
            "outbox message {} {} of order {} cannot be decoded; it stays pending: {}",
            entry.type(),
            entry.messageId(),
            order.orderId(),
            e.getMessage());
        return Result.UNDECODABLE;
      }
      try {
        publisher.publish(envelope);
      } catch (PublishException e) {
        log.warn(
            "{} {} of order {} not confirmed ({}); it stays in the outbox for the relay",
            entry.type(),
            entry.messageId(),
            order.orderId(),
            e.reason());
        return Result.NOT_CONFIRMED;
      }
      try {
        store.removeOutboxEntry(order.orderId(), entry.messageId());
      } catch (RuntimeException e) {
        log.warn(
            "{} {} of order {} is published but still in the outbox; it will be sent again",
            entry.type(),
            entry.messageId(),
            order.orderId(),
            e);
        return Result.NOT_REMOVED;
      }
      try {
        markers.remove(entry.messageId());
      } catch (RuntimeException e) {
        log.warn(
            "{} {} of order {} is confirmed, but its marker stays until the relay removes it",
            entry.type(),
            entry.messageId(),
            order.orderId(),
            e);
      }
    }
    return Result.DONE;
  }
}
