package dev.ordersaga.payment;

import dev.ordersaga.messaging.Envelope;
import dev.ordersaga.messaging.Message;
import dev.ordersaga.messaging.codec.WireCodec;
import dev.ordersaga.messaging.contracts.payment.AuthorizePayment;
import dev.ordersaga.messaging.contracts.payment.PaymentAuthorized;
import dev.ordersaga.messaging.contracts.payment.PaymentChannels;
import dev.ordersaga.messaging.contracts.payment.PaymentDeclined;
import dev.ordersaga.messaging.contracts.payment.PaymentRefundFailed;
import dev.ordersaga.messaging.contracts.payment.PaymentRefunded;
import dev.ordersaga.messaging.contracts.payment.RefundPayment;
import dev.ordersaga.messaging.participant.StoredReplies;
import dev.ordersaga.messaging.rabbit.ConfirmingPublisher;
import dev.ordersaga.messaging.rabbit.MessageHandler;
import dev.ordersaga.messaging.rabbit.RejectedMessageException;
import dev.ordersaga.payment.PaymentRecord.Kind;
import dev.ordersaga.payment.PaymentRecord.State;
import dev.ordersaga.payment.provider.ChargeResult;
import dev.ordersaga.payment.provider.PaymentProvider;
import dev.ordersaga.payment.provider.ProviderUnavailableException;
import dev.ordersaga.payment.provider.RefundResult;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Handles {@link PaymentChannels#COMMAND_QUEUE}: {@link AuthorizePayment} and its compensation
 * {@link RefundPayment}, each replied to the saga.
 *
 * <p>Per command: if a record exists under its key, the reply stored in it is published again (same
 * message id) and nothing else happens. Otherwise the provider is called with the key (it is
 * idempotent by key too), then the record and its reply are written in one insert, and the reply is
 * published. A concurrent duplicate loses the insert and re-sends the winner's reply. While the
 * provider fails or its circuit breaker is open, the handler throws, so the command is redelivered
 * later; that is never a decline.
 *
 * <p>A refund made is stored under {@code <key>:refund} and re-sent on every retry. A refused
 * refund is not: each retried refund (a new message id) is judged again, so a saga's retry of a
 * failed compensation can succeed once the cause is gone. Each refused attempt is recorded under
 * {@code <key>:refund:failed:<messageId>} for the payments listing.
 */
public final class PaymentCommandHandler implements MessageHandler {

  static final String SERVICE = "payment-service";

  /** A refund's record: under its charge's key and this suffix (so it sorts with its saga). */
  static final String REFUND_SUFFIX = ":refund";

  private static final Logger log = LoggerFactory.getLogger(PaymentCommandHandler.class);

  private final PaymentStore store;
  private final PaymentProvider provider;
  private final StoredReplies replies;
  private final PaymentMetrics metrics;
  private final Clock clock;

  public PaymentCommandHandler(
      PaymentStore store,
      PaymentProvider provider,
      ConfirmingPublisher publisher,
      WireCodec codec,
      PaymentMetrics metrics,
      Clock clock) {
    this.store = store;
    this.provider = provider;
    this.replies = new StoredReplies(publisher, codec, SERVICE);
    this.metrics = metrics;
    this.clock = clock;
  }

  @Override
  public void handle(Envelope<Message> envelope) {
    if (envelope.payload() instanceof AuthorizePayment command) {
      authorize(envelope, command);
    } else if (envelope.payload() instanceof RefundPayment command) {
      refund(envelope, command);
    } else {
      throw new RejectedMessageException(SERVICE + " does not handle " + envelope.type());
    }
  }

  private void authorize(Envelope<Message> envelope, AuthorizePayment command) {
    String key = command.idempotencyKey();
    Optional<PaymentRecord> existing = store.find(key);
    if (existing.isPresent()) {
      resend(existing.get(), command.orderId(), Kind.CHARGE);
      return;
    }
    ChargeResult result =
        callProvider(
            "charge", () -> provider.authorize(key, command.paymentToken(), command.amount()));
    Instant now = clock.instant();
    PaymentRecord record;
    Envelope<?> reply;
    if (result instanceof ChargeResult.Authorized authorized) {
      reply =
          reply(
              envelope,
              key,
              new PaymentAuthorized(command.orderId(), authorized.chargeId(), command.amount()));
      record =
          new PaymentRecord(
              key,
              Kind.CHARGE,
              command.orderId(),
              authorized.chargeId(),
              null,
              command.customerId(),
              command.amount(),
              State.AUTHORIZED,
              null,
              null,
              now,
              replies.encode(reply));
    } else {
      ChargeResult.Declined declined = (ChargeResult.Declined) result;
      reply =
          reply(
              envelope,
              key,
              new PaymentDeclined(command.orderId(), declined.reason(), declined.detail()));
      record =
          new PaymentRecord(
              key,
              Kind.CHARGE,
              command.orderId(),
              null,
              null,
              command.customerId(),
              command.amount(),
              State.DECLINED,
              declined.reason().name(),
              declined.detail(),
              now,
              replies.encode(reply));
    }
    if (!store.insert(record)) {
      resend(store.find(key).orElseThrow(), command.orderId(), Kind.CHARGE);
      return;
    }
    if (result instanceof ChargeResult.Declined declined) {
      metrics.declined(declined.reason());
    } else {
      metrics.authorized();
    }
    replies.publish(reply);
  }

  private void refund(Envelope<Message> envelope, RefundPayment command) {
    String refundKey = command.idempotencyKey() + REFUND_SUFFIX;
    Optional<PaymentRecord> existing = store.find(refundKey);
    if (existing.isPresent()) {
      resend(existing.get(), command.orderId(), Kind.REFUND);
      return;
    }
    Optional<PaymentRefundFailed> refused =
        RefundCheck.refuse(command, store.find(command.idempotencyKey()));
    if (refused.isPresent()) {
      refuse(envelope, refundKey, command, refused.get());
      return;
    }
    RefundResult result =
        callProvider(
            "refund", () -> provider.refund(refundKey, command.paymentId(), command.amount()));
    if (result instanceof RefundResult.Rejected rejected) {
      refuse(
          envelope,
          refundKey,
          command,
          new PaymentRefundFailed(
              command.orderId(), command.paymentId(), rejected.reason(), rejected.detail()));
      return;
    }
    RefundResult.Refunded refunded = (RefundResult.Refunded) result;
    Envelope<?> reply =
        reply(
            envelope,
            refundKey,
            new PaymentRefunded(
                command.orderId(), command.paymentId(), refunded.refundId(), refunded.amount()));
    PaymentRecord record =
        new PaymentRecord(
            refundKey,
            Kind.REFUND,
            command.orderId(),
            command.paymentId(),
            refunded.refundId(),
            null,
            refunded.amount(),
            State.REFUNDED,
            null,
            null,
            clock.instant(),
            replies.encode(reply));
    if (!store.insert(record)) {
      resend(store.find(refundKey).orElseThrow(), command.orderId(), Kind.REFUND);
      return;
    }
    metrics.refunded();
    replies.publish(reply);
  }

  /** Records a refused refund attempt and replies with the failure. */
  private void refuse(
      Envelope<Message> envelope,
      String refundKey,
      RefundPayment command,
      PaymentRefundFailed failure) {
    String attemptId = refundKey + ":failed:" + envelope.messageId();
    Envelope<?> reply = replies.replyToDelivery(envelope, refundKey, failure, clock.instant());
    PaymentRecord record =
        new PaymentRecord(
            attemptId,
            Kind.REFUND,
            command.orderId(),
            command.paymentId(),
            null,
            null,
            command.amount(),
            State.FAILED,
            failure.reason().name(),
            failure.detail(),
            reply.occurredAt(),
            replies.encode(reply));
    if (!store.insert(record)) {
      resend(store.find(attemptId).orElseThrow(), command.orderId(), Kind.REFUND);
      return;
    }
    log.warn(
        "refund of payment {} for order {} refused: {} {}",
        command.paymentId(),
        command.orderId(),
        failure.reason(),
        failure.detail());
    metrics.refundFailed(failure.reason());
    replies.publish(reply);
  }

  /** Publishes again the reply stored with a record, after checking the key is this order's. */
  private void resend(PaymentRecord record, String orderId, Kind kind) {
    if (record.kind() != kind || !record.orderId().equals(orderId)) {
      throw new RejectedMessageException(
          "idempotency key "
              + record.id()
              + " already names a "
              + record.kind()
              + " of order "
              + record.orderId());
    }
    log.debug("{} {} already handled; re-sending its reply", record.kind(), record.id());
    replies.resend(record.reply());
  }

  private <T> T callProvider(String operation, Supplier<T> call) {
    try {
      return call.get();
    } catch (ProviderUnavailableException e) {
      metrics.providerFailed(operation, e.failure());
      throw e;
    }
  }

  /** The reply to a command, with an id derived from the key, so every retry re-sends the same. */
  private <R extends Message> Envelope<R> reply(Envelope<Message> command, String key, R payload) {
    return replies.reply(command, key, payload, clock.instant());
  }
}
