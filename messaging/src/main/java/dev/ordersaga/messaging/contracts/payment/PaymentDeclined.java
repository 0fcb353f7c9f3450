package dev.ordersaga.messaging.contracts.payment;

import static dev.ordersaga.messaging.contracts.Contracts.require;
import static dev.ordersaga.messaging.contracts.Contracts.requireText;

import dev.ordersaga.messaging.Event;
import dev.ordersaga.messaging.WireType;

/** The provider declined the payment; {@code detail} is the provider's text, may be null. */
@WireType(name = "payment.PaymentDeclined")
public record PaymentDeclined(String orderId, DeclineReason reason, String detail)
    implements Event {

  public PaymentDeclined {
    requireText(orderId, "orderId");
    require(reason, "reason");
  }
}
