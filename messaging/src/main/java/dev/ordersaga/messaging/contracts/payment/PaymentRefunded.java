package dev.ordersaga.messaging.contracts.payment;

import static dev.ordersaga.messaging.contracts.Contracts.require;
import static dev.ordersaga.messaging.contracts.Contracts.requireText;

import dev.ordersaga.messaging.Event;
import dev.ordersaga.messaging.WireType;
import dev.ordersaga.messaging.contracts.Money;

/** The payment is refunded. */
@WireType(name = "payment.PaymentRefunded")
public record PaymentRefunded(String orderId, String paymentId, String refundId, Money amount)
    implements Event {

  public PaymentRefunded {
    requireText(orderId, "orderId");
    requireText(paymentId, "paymentId");
    requireText(refundId, "refundId");
    require(amount, "amount");
  }
}
