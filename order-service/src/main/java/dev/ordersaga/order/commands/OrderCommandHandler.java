package dev.ordersaga.order.commands;

import dev.ordersaga.messaging.Envelope;
import dev.ordersaga.messaging.Message;
import dev.ordersaga.messaging.MessageIds;
import dev.ordersaga.messaging.codec.WireCodec;
import dev.ordersaga.messaging.contracts.order.ApproveOrder;
import dev.ordersaga.messaging.contracts.order.MarkRefundPending;
import dev.ordersaga.messaging.contracts.order.OrderApproved;
import dev.ordersaga.messaging.contracts.order.OrderRejected;
import dev.ordersaga.messaging.contracts.order.RejectOrder;
import dev.ordersaga.messaging.contracts.order.RejectionReason;
import dev.ordersaga.messaging.participant.StoredReplies;
import dev.ordersaga.messaging.rabbit.ConfirmingPublisher;
import dev.ordersaga.messaging.rabbit.MessageHandler;
import dev.ordersaga.messaging.rabbit.RejectedMessageException;
import dev.ordersaga.order.OrderServiceApplication;
import dev.ordersaga.order.orders.Order;
import dev.ordersaga.order.orders.Order.ReplyKind;
import dev.ordersaga.order.orders.OrderChanges;
import dev.ordersaga.order.orders.OrderMetrics;
import dev.ordersaga.order.orders.OrderStatus;
import dev.ordersaga.order.orders.OrderStore;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The order participant of the saga: handles {@link ApproveOrder}, {@link RejectOrder} and {@link
 * MarkRefundPending} from {@code order-service.commands}.
 *
 * <ul>
 *   <li>{@code ApproveOrder}: a PENDING order becomes APPROVED; reply {@link OrderApproved}.
 *   <li>{@code RejectOrder(reason)}: a PENDING or REFUND_PENDING order becomes REJECTED with the
 *       reason, or CANCELLED when the reason is {@code CANCELLED_BY_SHOPPER}; reply {@link
 *       OrderRejected}(reason).
 *   <li>{@code MarkRefundPending(reason)}: a PENDING order becomes REFUND_PENDING with the reason
 *       (the saga is undoing it and its refund failed); no reply, the saga waits on nothing. For an
 *       order no longer PENDING (a repeat, or a redelivery after the order was settled) it changes
 *       nothing.
 * </ul>
 *
 * The status change and its reply are written in one update of the order's document, keyed by the
 * order's id and the version read (a concurrent change makes it read and decide again); requests of
 * this instance waiting for the order are told at once ({@link OrderChanges}). A repeated command
 * of a kind (redelivered, or retried by the saga with a new message id) finds the stored reply and
 * publishes it again, with the same message id; a {@code RejectOrder} whose reason differs from the
 * first one's gets the first reply, which tells what happened. A final status is never changed:
 * {@code ApproveOrder} for a REJECTED or CANCELLED order, or {@code RejectOrder} for an APPROVED
 * one, contradicts what the order already answered and is parked ({@link RejectedMessageException})
 * for an operator, as is a command for an order that does not exist.
 */
@Component
public class OrderCommandHandler implements MessageHandler {

  private static final Logger log = LoggerFactory.getLogger(OrderCommandHandler.class);
  private static final int ATTEMPTS = 3;

  private final OrderStore store;
  private final StoredReplies replies;
  private final OrderMetrics metrics;
  private final OrderChanges changes;
  private final Clock clock;

  public OrderCommandHandler(
      OrderStore store,
      ConfirmingPublisher publisher,
      WireCodec codec,
      OrderMetrics metrics,
      OrderChanges changes,
      Clock clock) {
    this.store = store;
    this.replies = new StoredReplies(publisher, codec, OrderServiceApplication.NAME);
    this.metrics = metrics;
    this.changes = changes;
    this.clock = clock;
  }

  /** The id of an order's reply of one type: the same each time it is sent. */
  public static String replyMessageId(String orderId, Class<? extends Message> replyType) {
    return MessageIds.scoped(orderId, OrderServiceApplication.NAME, replyType.getSimpleName());
  }

  @Override
  public void handle(Envelope<Message> envelope) {
    Message command = envelope.payload();
    if (command instanceof ApproveOrder approve) {
      settle(envelope, approve.orderId(), ReplyKind.APPROVE, OrderStatus.APPROVED, null);
    } else if (command instanceof RejectOrder reject) {
      OrderStatus status =
          reject.reason() == RejectionReason.CANCELLED_BY_SHOPPER
              ? OrderStatus.CANCELLED
              : OrderStatus.REJECTED;
      settle(envelope, reject.orderId(), ReplyKind.REJECT, status, reject.reason());
    } else if (command instanceof MarkRefundPending mark) {
      markRefundPending(envelope, mark);
    } else {
      throw new RejectedMessageException(
          "order-service does not handle " + envelope.type() + " " + envelope.messageId());
    }
  }

  private void settle(
      Envelope<Message> command,
      String orderId,
      ReplyKind kind,
      OrderStatus target,
      RejectionReason reason) {
    for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
      Order order = existing(command, orderId);
      String storedReply = order.replies().get(kind);
      if (storedReply != null) {
        log.info("order {} already answered {}", orderId, command.type());
        replies.resend(storedReply);
        return;
      }
      if (order.status().isFinal()
          || (kind == ReplyKind.APPROVE && order.status() != OrderStatus.PENDING)) {
        throw new RejectedMessageException(
            command.type()
                + " for order "
                + orderId
                + ", which is already "
                + order.status()
                + (order.reason() == null ? "" : " (" + order.reason() + ")")
                + "; a final status is never changed");
      }
      Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
      Envelope<? extends Message> reply =
          kind == ReplyKind.APPROVE
              ? command.reply(
                  replyMessageId(orderId, OrderApproved.class), now, new OrderApproved(orderId))
              : command.reply(
                  replyMessageId(orderId, OrderRejected.class),
                  now,
                  new OrderRejected(orderId, reason));
      String encoded = replies.encode(reply);
      if (store.finish(order, target, reason, kind, encoded, now)) {
        metrics.finished(target, reason);
        log.info("order {} is {}{}", orderId, target, reason == null ? "" : " (" + reason + ")");
        changes.finished(order.finished(target, reason, kind, encoded, now));
        replies.publish(reply);
        return;
      }
      // another command settled the order between the read and the update: decide again
    }
    throw new IllegalStateException(
        "order " + orderId + " kept changing while " + command.type() + " was handled");
  }

  /** The order as stored now; a command for an order that does not exist is refused. */
  private Order existing(Envelope<Message> command, String orderId) {
    return store
        .find(orderId)
        .orElseThrow(
            () ->
                new RejectedMessageException(
                    command.type() + " for order " + orderId + ", which does not exist"));
  }

  private void markRefundPending(Envelope<Message> command, MarkRefundPending mark) {
    String orderId = mark.orderId();
    for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
      Order order = existing(command, orderId);
      if (order.status() != OrderStatus.PENDING) {
        log.info(
            "order {} is {}; {} {} changes nothing",
            orderId,
            order.status(),
            command.type(),
            command.messageId());
        return;
      }
      Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
      if (store.markRefundPending(order, mark.reason(), now)) {
        metrics.refundPending(mark.reason());
        log.info("order {} is REFUND_PENDING ({})", orderId, mark.reason());
        changes.finished(order.refundPending(mark.reason(), now));
        return;
      }
      // another command changed the order between the read and the update: decide again
    }
    throw new IllegalStateException(
        "order " + orderId + " kept changing while " + command.type() + " was handled");
  }
}
