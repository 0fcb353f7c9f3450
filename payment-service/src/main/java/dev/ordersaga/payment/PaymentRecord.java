package dev.ordersaga.payment;

import dev.ordersaga.messaging.contracts.Money;
import java.time.Instant;
import java.util.Date;
import org.bson.Document;

/**
 * One document of the {@value PaymentStore#COLLECTION} collection: a charge (an authorization
 * attempt, authorized or declined) or a refund (made or failed), together with the reply it
 * produced, so that a retried command re-sends that same reply.
 *
 * @param id the command's idempotency key for a charge; {@code <key>:refund} for a refund made;
 *     {@code <key>:refund:failed:<messageId>} for a failed refund attempt
 * @param paymentId the provider's charge id; null for a declined charge
 * @param refundId the provider's refund id; only for a refund made
 * @param customerId only for a charge
 * @param reason the decline or refund failure reason, else null
 * @param detail the provider's detail of a decline or refund failure, may be null
 * @param reply the reply envelope as encoded on the wire (JSON)
 */
public record PaymentRecord(
    String id,
    Kind kind,
    String orderId,
    String paymentId,
    String refundId,
    String customerId,
    Money amount,
    State state,
    String reason,
    String detail,
    Instant createdAt,
    String reply) {

  /** What the document records. */
  public enum Kind {
    CHARGE,
    REFUND
  }

  /** Where a charge or refund ended. */
  public enum State {
    /** A charge the provider made. */
    AUTHORIZED,
    /** A charge the provider declined: nothing was charged. */
    DECLINED,
    /** A refund the provider made. */
    REFUNDED,
    /** A refund that was refused: nothing was refunded. */
    FAILED
  }

  Document toDocument() {
    return new Document("_id", id)
        .append("kind", kind.name())
        .append("orderId", orderId)
        .append("paymentId", paymentId)
        .append("refundId", refundId)
        .append("customerId", customerId)
        .append("amount", amount.amount().toPlainString())
        .append("currency", amount.currency())
        .append("state", state.name())
        .append("reason", reason)
        .append("detail", detail)
        .append("createdAt", Date.from(createdAt))
        .append("reply", reply);
  }

  static PaymentRecord fromDocument(Document document) {
    return new PaymentRecord(
        document.getString("_id"),
        Kind.valueOf(document.getString("kind")),
        document.getString("orderId"),
        document.getString("paymentId"),
        document.getString("refundId"),
        document.getString("customerId"),
        Money.of(document.getString("amount"), document.getString("currency")),
        State.valueOf(document.getString("state")),
        document.getString("reason"),
        document.getString("detail"),
        document.getDate("createdAt").toInstant(),
        document.getString("reply"));
  }
}
