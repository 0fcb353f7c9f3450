package dev.ordersaga.payment.provider;

import dev.ordersaga.messaging.contracts.Money;
import dev.ordersaga.messaging.contracts.payment.RefundFailureReason;

/** What the provider answered to a refund. */
public sealed interface RefundResult {

  /** The amount is refunded. */
  record Refunded(String refundId, Money amount) implements RefundResult {}

  /** The provider refused the refund; {@code detail} is its error code or message. */
  record Rejected(RefundFailureReason reason, String detail) implements RefundResult {}
}
