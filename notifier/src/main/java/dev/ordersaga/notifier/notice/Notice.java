package dev.ordersaga.notifier.notice;

import dev.ordersaga.messaging.contracts.Money;
import dev.ordersaga.messaging.contracts.notification.NoticeReason;
import java.time.Instant;
import java.util.Map;

/**
 * One customer notice, stored as one document under the idempotency key of the {@code
 * NotifyCustomer} that asked for it, so a key never gets two notices.
 *
 * @param key the command's idempotency key, the document's {@code _id}
 * @param noticeId the notice's own id, derived from the key; reported in {@code CustomerNotified}
 * @param to the recipient's address
 * @param language the language the notice is written in
 * @param attempts sending attempts it took, written when it is SENT (while PENDING its {@link
 *     NoticeTask} counts them)
 * @param commandMessageId the message id of the first command with this key, the reply's cause
 * @param trace that command's trace context, carried on to the reply
 * @param reply the encoded {@code CustomerNotified} envelope, written when the notice is SENT
 * @param version counts the document's writes, for compare-and-set; {@code null} on a document
 *     written before versions were kept
 */
public record Notice(
    String key,
    String noticeId,
    String orderId,
    String customerId,
    String to,
    String language,
    NoticeReason reason,
    Money refunded,
    String subject,
    String body,
    NoticeStatus status,
    int attempts,
    Instant createdAt,
    Instant sentAt,
    String commandMessageId,
    Map<String, String> trace,
    String reply,
    Integer version) {

  public Notice {
    trace = trace == null ? Map.of() : Map.copyOf(trace);
  }
}
