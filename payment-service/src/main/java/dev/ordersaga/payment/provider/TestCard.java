package dev.ordersaga.payment.provider;

import dev.ordersaga.messaging.contracts.Money;
import dev.ordersaga.messaging.contracts.payment.DeclineReason;
import java.util.Arrays;
import java.util.Optional;

/**
 * The payment tokens the simulated provider knows, in the style of public payment providers' test
 * cards. Any other token is declined as an unknown payment method.
 */
public enum TestCard {
  /** Authorizes. */
  VISA("pm_card_visa", null, null, false, false),
  /** Declined: {@code PROVIDER_REJECTED}, {@code card_declined}. */
  CHARGE_DECLINED("pm_card_chargeDeclined", DeclineReason.PROVIDER_REJECTED, "card_declined"),
  /** Declined: {@code INSUFFICIENT_FUNDS}. */
  INSUFFICIENT_FUNDS(
      "pm_card_insufficientFunds", DeclineReason.INSUFFICIENT_FUNDS, "insufficient_funds"),
  /** Declined: {@code CARD_EXPIRED}. */
  EXPIRED("pm_card_expired", DeclineReason.CARD_EXPIRED, "expired_card"),
  /** Declined: {@code SUSPECTED_FRAUD}. */
  FRAUDULENT("pm_card_fraudulent", DeclineReason.SUSPECTED_FRAUD, "fraudulent"),
  /** Declined: {@code LIMIT_EXCEEDED}. */
  LIMIT_EXCEEDED("pm_card_limitExceeded", DeclineReason.LIMIT_EXCEEDED, "card_velocity_exceeded"),
  /**
   * Every call about it (charge or refund) fails transiently on a configured share of calls,
   * otherwise authorizes.
   */
  FLAKY("pm_card_flaky", null, null, true, false),
  /** Authorizes, but every refund of its charge is rejected ({@code refund_failed}). */
  REFUND_FAILS("pm_card_refundFails", null, null, false, true),
  /**
   * Authorizes; the first refund of its charge is rejected ({@code refund_failed}), the next ones
   * are made: a provider's fault that is fixed before an operator retries the refund.
   */
  REFUND_FAILS_ONCE("pm_card_refundFailsOnce", null, null, false, false);

  /** Detail of a decline for a token the provider does not know. */
  public static final String UNKNOWN_PAYMENT_METHOD = "unknown payment method";

  /** Detail of a decline for a zero amount. */
  public static final String INVALID_AMOUNT = "amount must be positive";

  private final String token;
  private final DeclineReason declineReason;
  private final String declineDetail;
  private final boolean flaky;
  private final boolean refundsFail;

  TestCard(String token, DeclineReason declineReason, String declineDetail) {
    this(token, declineReason, declineDetail, false, false);
  }

  TestCard(
      String token,
      DeclineReason declineReason,
      String declineDetail,
      boolean flaky,
      boolean refundsFail) {
    this.token = token;
    this.declineReason = declineReason;
    this.declineDetail = declineDetail;
    this.flaky = flaky;
    this.refundsFail = refundsFail;
  }

  public String token() {
    return token;
  }

  public boolean flaky() {
    return flaky;
  }

  public boolean refundsFail() {
    return refundsFail;
  }

  /** Whether the first refund of its charge is rejected (and the next ones are not). */
  public boolean firstRefundFails() {
    return this == REFUND_FAILS_ONCE;
  }

  public static Optional<TestCard> forToken(String token) {
    return Arrays.stream(values()).filter(card -> card.token.equals(token)).findFirst();
  }

  /** The decline the provider answers for this token and amount, or empty if it authorizes. */
  public static Optional<ChargeResult.Declined> decline(String token, Money amount) {
    Optional<TestCard> card = forToken(token);
    if (card.isEmpty()) {
      return Optional.of(
          new ChargeResult.Declined(DeclineReason.PROVIDER_REJECTED, UNKNOWN_PAYMENT_METHOD));
    }
    if (card.get().declineReason != null) {
      return Optional.of(
          new ChargeResult.Declined(card.get().declineReason, card.get().declineDetail));
    }
    if (amount.amount().signum() <= 0) {
      return Optional.of(
          new ChargeResult.Declined(DeclineReason.PROVIDER_REJECTED, INVALID_AMOUNT));
    }
    return Optional.empty();
  }
}
