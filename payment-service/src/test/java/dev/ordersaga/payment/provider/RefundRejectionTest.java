package dev.ordersaga.payment.provider;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ordersaga.messaging.contracts.Money;
import dev.ordersaga.messaging.contracts.payment.RefundFailureReason;
import java.math.BigDecimal;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The simulated provider's own rules for a new refund. */
class RefundRejectionTest {

  private static final Money CHARGED = Money.of("30.00", "EUR");

  private static Optional<String> rejection(
      boolean refundsFail, String status, String refundedSoFar, Money amount) {
    return SimulatedPaymentProvider.refundRejection(
            refundsFail, status, CHARGED, new BigDecimal(refundedSoFar), amount)
        .map(
            r -> {
              assertThat(r.reason()).isEqualTo(RefundFailureReason.PROVIDER_REJECTED);
              return r.detail();
            });
  }

  @Test
  void upToWhatIsLeftOfTheChargeIsRefunded() {
    assertThat(rejection(false, "succeeded", "0", CHARGED)).isEmpty();
    assertThat(rejection(false, "succeeded", "20.00", Money.of("10", "EUR"))).isEmpty();
  }

  @Test
  void moreThanWhatIsLeftIsRejected() {
    assertThat(rejection(false, "succeeded", "0", Money.of("30.01", "EUR")))
        .contains("amount_too_large");
    assertThat(rejection(false, "succeeded", "20.00", Money.of("10.01", "EUR")))
        .contains("amount_too_large");
  }

  @Test
  void otherRejections() {
    assertThat(rejection(false, "failed", "0", CHARGED)).contains("charge_not_succeeded");
    assertThat(rejection(true, "succeeded", "0", CHARGED)).contains("refund_failed");
    assertThat(rejection(false, "succeeded", "0", Money.of("30.00", "USD")))
        .contains("currency_mismatch");
    assertThat(rejection(false, "succeeded", "0", Money.of("0", "EUR"))).contains("invalid_amount");
  }
}
