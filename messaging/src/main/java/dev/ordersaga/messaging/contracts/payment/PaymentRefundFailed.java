package dev.ordersaga.messaging.contracts.payment;

import static dev.ordersaga.messaging.contracts.Contracts.require;
import static dev.ordersaga.messaging.contracts.Contracts.requireText;

import dev.ordersaga.messaging.Event;
import dev.ordersaga.messaging.WireType;

/**
 * The refund could not be made. A definite refusal ({@link RefundFailureReason#isDefinite()}) makes
 * the saga raise COMPENSATION_FAILED at once; otherwise it asks again until its attempts run out.
 */
@WireType(name = "payment.PaymentRefundFailed")
public record PaymentRefundFailed(
    String orderId, String paymentId, RefundFailureReason reason, String detail) implements Event {

  public PaymentRefundFailed {
    requireText(orderId, "orderId");
    requireText(paymentId, "paymentId");
    require(reason, "reason");
  }
}
