package dev.ordersaga.messaging.contracts.payment;

import static dev.ordersaga.messaging.contracts.Contracts.require;
import static dev.ordersaga.messaging.contracts.Contracts.requireText;

import dev.ordersaga.messaging.Command;
import dev.ordersaga.messaging.WireType;
import dev.ordersaga.messaging.contracts.Money;

/**
 * Authorize the order total on the customer's account.
 *
 * @param idempotencyKey minted once for the saga's payment step; every retry sends the same key and
 *     {@link RefundPayment} reuses it, so the provider never charges twice
 */
@WireType(name = "payment.AuthorizePayment")
public record AuthorizePayment(
    String orderId, String idempotencyKey, String customerId, Money amount, String paymentToken)
    implements Command {

  public AuthorizePayment {
    requireText(orderId, "orderId");
    requireText(idempotencyKey, "idempotencyKey");
    requireText(customerId, "customerId");
    require(amount, "amount");
    requireText(paymentToken, "paymentToken");
  }
}
