package dev.ordersaga.messaging.contracts.payment;

import static dev.ordersaga.messaging.contracts.Contracts.require;
import static dev.ordersaga.messaging.contracts.Contracts.requireText;

import dev.ordersaga.messaging.Command;
import dev.ordersaga.messaging.WireType;
import dev.ordersaga.messaging.contracts.Money;

/**
 * Compensation of {@link AuthorizePayment}: give the authorized amount back.
 *
 * @param idempotencyKey the key of the payment step being undone, reused so a refund is issued once
 */
@WireType(name = "payment.RefundPayment")
public record RefundPayment(String orderId, String idempotencyKey, String paymentId, Money amount)
    implements Command {

  public RefundPayment {
    requireText(orderId, "orderId");
    requireText(idempotencyKey, "idempotencyKey");
    requireText(paymentId, "paymentId");
    require(amount, "amount");
  }
}
