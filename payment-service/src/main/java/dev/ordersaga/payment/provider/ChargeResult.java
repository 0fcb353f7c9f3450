package dev.ordersaga.payment.provider;

import dev.ordersaga.messaging.contracts.Money;
import dev.ordersaga.messaging.contracts.payment.DeclineReason;

/** What the provider answered to a charge. */
public sealed interface ChargeResult {

  /** The amount is charged; {@code chargeId} names the charge for a refund. */
  record Authorized(String chargeId, Money amount) implements ChargeResult {}

  /** The provider declined; {@code detail} is its decline code or message. */
  record Declined(DeclineReason reason, String detail) implements ChargeResult {}
}
