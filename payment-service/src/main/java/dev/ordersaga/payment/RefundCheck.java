package dev.ordersaga.payment;

import dev.ordersaga.messaging.contracts.payment.PaymentRefundFailed;
import dev.ordersaga.messaging.contracts.payment.RefundFailureReason;
import dev.ordersaga.messaging.contracts.payment.RefundPayment;
import java.util.Optional;

/**
 * Whether a refund may go to the provider, judged against the charge stored under the payment
 * step's key. A refund needs an authorized charge of the same order and payment id
 * (PAYMENT_NOT_FOUND otherwise), in the same currency, for a positive amount no larger than the
 * charge (PROVIDER_REJECTED otherwise).
 */
final class RefundCheck {

  private RefundCheck() {}

  /** The failure to reply with, or empty when the refund may be made. */
  static Optional<PaymentRefundFailed> refuse(
      RefundPayment command, Optional<PaymentRecord> stored) {
    String orderId = command.orderId();
    String paymentId = command.paymentId();
    if (stored.isEmpty() || stored.get().kind() != PaymentRecord.Kind.CHARGE) {
      return notFound(command, "no payment was authorized under this idempotency key");
    }
    PaymentRecord charge = stored.get();
    if (!charge.orderId().equals(orderId)) {
      return notFound(command, "the payment under this idempotency key is not of order " + orderId);
    }
    if (charge.state() != PaymentRecord.State.AUTHORIZED) {
      return notFound(command, "the payment was declined; nothing was charged");
    }
    if (!charge.paymentId().equals(paymentId)) {
      return notFound(
          command,
          "payment "
              + paymentId
              + " is not the one authorized under this key ("
              + charge.paymentId()
              + ")");
    }
    if (!charge.amount().currency().equals(command.amount().currency())) {
      return rejected(
          command,
          "refund in "
              + command.amount().currency()
              + " of a charge in "
              + charge.amount().currency());
    }
    if (command.amount().amount().signum() <= 0) {
      return rejected(command, "refund amount must be positive");
    }
    if (command.amount().amount().compareTo(charge.amount().amount()) > 0) {
      return rejected(
          command,
          "refund of "
              + command.amount().amount().toPlainString()
              + " exceeds the charged "
              + charge.amount().amount().toPlainString()
              + " "
              + charge.amount().currency());
    }
    return Optional.empty();
  }

  private static Optional<PaymentRefundFailed> notFound(RefundPayment command, String detail) {
    return Optional.of(
        new PaymentRefundFailed(
            command.orderId(), command.paymentId(), RefundFailureReason.PAYMENT_NOT_FOUND, detail));
  }

  private static Optional<PaymentRefundFailed> rejected(RefundPayment command, String detail) {
    return Optional.of(
        new PaymentRefundFailed(
            command.orderId(), command.paymentId(), RefundFailureReason.PROVIDER_REJECTED, detail));
  }
}
