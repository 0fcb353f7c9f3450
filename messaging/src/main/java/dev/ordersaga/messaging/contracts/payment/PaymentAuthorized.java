package dev.ordersaga.messaging.contracts.payment;

import static dev.ordersaga.messaging.contracts.Contracts.require;
import static dev.ordersaga.messaging.contracts.Contracts.requireText;

import dev.ordersaga.messaging.Event;
import dev.ordersaga.messaging.WireType;
import dev.ordersaga.messaging.contracts.Money;

/** The amount is authorized; {@code paymentId} names it for a later refund. */
@WireType(name = "payment.PaymentAuthorized")
public record PaymentAuthorized(String orderId, String paymentId, Money amount) implements Event {

  public PaymentAuthorized {
    requireText(orderId, "orderId");
    requireText(paymentId, "paymentId");
    require(amount, "amount");
  }
}
