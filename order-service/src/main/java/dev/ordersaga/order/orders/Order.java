package dev.ordersaga.order.orders;

import dev.ordersaga.messaging.contracts.Address;
import dev.ordersaga.messaging.contracts.Customer;
import dev.ordersaga.messaging.contracts.LineItem;
import dev.ordersaga.messaging.contracts.Money;
import dev.ordersaga.messaging.contracts.order.RejectionReason;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * An order as stored: what the shopper asked for, where it stands, the messages it has yet to
 * publish and the replies it gave to the saga's commands. One document, so that the status and the
 * reply that reports it change together.
 *
 * @param orderId also the saga id
 * @param reason why the order was rejected or cancelled, or is being undone (REFUND_PENDING);
 *     {@code null} otherwise
 * @param idempotencyKey the shopper's {@code Idempotency-Key}, or {@code null}
 * @param requestFingerprint hash of the normalized request, to tell a replay from a key reused
 * @param cancellationRequestedAt when the shopper asked to cancel, or {@code null}
 * @param cancellationReason what the shopper gave as the reason to cancel, or {@code null}
 * @param outbox messages written with the order and not yet confirmed by the broker, oldest first
 * @param replies encoded reply envelopes by command kind (see {@link ReplyKind})
 * @param version counts the changes of the order's state (status, cancellation request): every such
 *     change is written only if the version is still the one read, and raises it by one; {@value
 *     #UNVERSIONED} for an order stored before orders had a version
 */
public record Order(
    String orderId,
    OrderStatus status,
    RejectionReason reason,
    Customer customer,
    List<LineItem> items,
    Money total,
    Address shippingAddress,
    String paymentToken,
    String idempotencyKey,
    String requestFingerprint,
    Instant createdAt,
    Instant updatedAt,
    Instant cancellationRequestedAt,
    String cancellationReason,
    List<OutboxEntry> outbox,
    Map<ReplyKind, String> replies,
    long version) {

  /** The version of an order stored before orders had one (its document has no version). */
  public static final long UNVERSIONED = 0;

  /** The version of a newly placed order. */
  public static final long FIRST_VERSION = 1;

  /** The commands whose replies an order keeps, one per kind. */
  public enum ReplyKind {
    APPROVE,
    REJECT
  }

  public Order {
    items = List.copyOf(items);
    outbox = outbox == null ? List.of() : List.copyOf(outbox);
    replies = replies == null ? Map.of() : Map.copyOf(replies);
  }

  public boolean cancellationRequested() {
    return cancellationRequestedAt != null;
  }

  /**
   * This order as {@link OrderStore#finish} leaves it: final, with its reply, one version on.
   *
   * @param reason why it was rejected or cancelled; {@code null} for APPROVED
   */
  public Order finished(
      OrderStatus newStatus,
      RejectionReason newReason,
      ReplyKind replyKind,
      String encodedReply,
      Instant at) {
    Map<ReplyKind, String> newReplies = new EnumMap<>(ReplyKind.class);
    newReplies.putAll(replies);
    newReplies.put(replyKind, encodedReply);
    return next(
        newStatus, newReason, at, cancellationRequestedAt, cancellationReason, outbox, newReplies);
  }

  /**
   * This order as {@link OrderStore#markRefundPending} leaves it: REFUND_PENDING with the reason it
   * is being undone, one version on.
   */
  public Order refundPending(RejectionReason newReason, Instant at) {
    return next(
        OrderStatus.REFUND_PENDING,
        newReason,
        at,
        cancellationRequestedAt,
        cancellationReason,
        outbox,
        replies);
  }

  /**
   * This order as {@link OrderStore#requestCancellation} leaves it: the request recorded, its
   * message queued behind the others, one version on.
   */
  public Order cancellationRequested(Instant at, String reason, OutboxEntry message) {
    List<OutboxEntry> newOutbox = new ArrayList<>(outbox);
    newOutbox.add(message);
    return next(status, this.reason, at, at, reason, newOutbox, replies);
  }

  /** This order one version on: what it is and was asked for as it is, where it stands as given. */
  private Order next(
      OrderStatus newStatus,
      RejectionReason newReason,
      Instant at,
      Instant newCancellationRequestedAt,
      String newCancellationReason,
      List<OutboxEntry> newOutbox,
      Map<ReplyKind, String> newReplies) {
    return new Order(
        orderId,
        newStatus,
        newReason,
        customer,
        items,
        total,
        shippingAddress,
        paymentToken,
        idempotencyKey,
        requestFingerprint,
        createdAt,
        at,
        newCancellationRequestedAt,
        newCancellationReason,
        newOutbox,
        newReplies,
        version + 1);
  }
}
