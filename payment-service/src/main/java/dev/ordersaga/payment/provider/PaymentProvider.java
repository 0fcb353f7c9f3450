package dev.ordersaga.payment.provider;

import dev.ordersaga.messaging.contracts.Money;

/**
 * The external payment provider. Both calls are idempotent by key, as with real providers: a call
 * repeated with the same key returns the first call's result and never charges or refunds twice. A
 * call that fails for a reason a retry may cure throws {@link ProviderUnavailableException}; a
 * decline or a rejected refund is a result, not an exception.
 */
public interface PaymentProvider {

  /**
   * Charges {@code amount} to the payment method {@code paymentToken}.
   *
   * @param idempotencyKey the payment step's key, minted by the saga and reused on every retry
   */
  ChargeResult authorize(String idempotencyKey, String paymentToken, Money amount);

  /**
   * Gives back {@code amount} of the charge {@code chargeId}.
   *
   * @param idempotencyKey the refund's own key, reused on every retry of the refund
   */
  RefundResult refund(String idempotencyKey, String chargeId, Money amount);
}
