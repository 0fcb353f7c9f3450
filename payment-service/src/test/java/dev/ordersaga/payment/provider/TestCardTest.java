package dev.ordersaga.payment.provider;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ordersaga.messaging.contracts.Money;
import dev.ordersaga.messaging.contracts.payment.DeclineReason;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class TestCardTest {

  private static final Money TEN_EUROS = Money.of("10.00", "EUR");

  @ParameterizedTest
  @ValueSource(
      strings = {"pm_card_visa", "pm_card_flaky", "pm_card_refundFails", "pm_card_refundFailsOnce"})
  void authorizingTokensDeclineNothing(String token) {
    assertThat(TestCard.decline(token, TEN_EUROS)).isEmpty();
  }

  @ParameterizedTest
  @CsvSource({
    "pm_card_chargeDeclined, PROVIDER_REJECTED, card_declined",
    "pm_card_insufficientFunds, INSUFFICIENT_FUNDS, insufficient_funds",
    "pm_card_expired, CARD_EXPIRED, expired_card",
    "pm_card_fraudulent, SUSPECTED_FRAUD, fraudulent",
    "pm_card_limitExceeded, LIMIT_EXCEEDED, card_velocity_exceeded"
  })
  void decliningTokensGiveTheirReasonAndCode(String token, DeclineReason reason, String detail) {
    assertThat(TestCard.decline(token, TEN_EUROS))
        .contains(new ChargeResult.Declined(reason, detail));
  }

  @ParameterizedTest
  @ValueSource(strings = {"pm_card_unheardOf", "tok_visa", "PM_CARD_VISA", ""})
  void anUnknownTokenIsDeclinedAsAnUnknownPaymentMethod(String token) {
    assertThat(TestCard.decline(token, TEN_EUROS))
        .contains(
            new ChargeResult.Declined(DeclineReason.PROVIDER_REJECTED, "unknown payment method"));
  }

  @Test
  void aZeroAmountIsDeclined() {
    assertThat(TestCard.decline("pm_card_visa", Money.of("0.00", "EUR")))
        .contains(
            new ChargeResult.Declined(DeclineReason.PROVIDER_REJECTED, "amount must be positive"));
  }

  @Test
  void aDecliningCardGivesItsOwnReasonWhateverTheAmount() {
    assertThat(TestCard.decline("pm_card_expired", Money.of("0", "EUR")))
        .map(ChargeResult.Declined::reason)
        .contains(DeclineReason.CARD_EXPIRED);
  }

  @Test
  void onlyTheFlakyCardIsFlakyAndOnlyTheRefundFailsCardFailsRefunds() {
    for (TestCard card : TestCard.values()) {
      assertThat(card.flaky()).as(card.token()).isEqualTo(card == TestCard.FLAKY);
      assertThat(card.refundsFail()).as(card.token()).isEqualTo(card == TestCard.REFUND_FAILS);
      assertThat(TestCard.forToken(card.token())).contains(card);
    }
    assertThat(TestCard.forToken("pm_card_unheardOf")).isEqualTo(Optional.empty());
  }
}
