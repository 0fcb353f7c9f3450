package dev.ordersaga.payment.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ordersaga.messaging.contracts.Money;
import dev.ordersaga.messaging.contracts.payment.DeclineReason;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

class CircuitBreakingPaymentProviderTest {

  private static final Money AMOUNT = Money.of("5.00", "EUR");

  /** A provider answering what {@code answer} says, counting its calls. */
  private static final class ScriptedProvider implements PaymentProvider {
    final AtomicInteger calls = new AtomicInteger();
    volatile Supplier<ChargeResult> answer;

    @Override
    public ChargeResult authorize(String idempotencyKey, String paymentToken, Money amount) {
      calls.incrementAndGet();
      return answer.get();
    }

    @Override
    public RefundResult refund(String idempotencyKey, String chargeId, Money amount) {
      calls.incrementAndGet();
      return new RefundResult.Refunded("re_1", amount);
    }
  }

  private final ScriptedProvider scripted = new ScriptedProvider();
  private final CircuitBreakingPaymentProvider guarded =
      new CircuitBreakingPaymentProvider(
          scripted,
          CircuitBreakingPaymentProvider.breaker(
              new ProviderSettings.CircuitBreaker(50, 4, 4, Duration.ofMillis(200), 1)));

  private static ChargeResult fail() {
    throw new ProviderUnavailableException(
        ProviderUnavailableException.Failure.FAILED, "down", null);
  }

  @Test
  void failuresOpenTheBreakerWhichThenRefusesWithoutCallingAndClosesAfterATrialSuccess() {
    scripted.answer = CircuitBreakingPaymentProviderTest::fail;
    for (int i = 0; i < 4; i++) {
      assertThatThrownBy(() -> guarded.authorize("k", "pm_card_visa", AMOUNT))
          .isInstanceOfSatisfying(
              ProviderUnavailableException.class,
              e -> assertThat(e.failure()).isEqualTo(ProviderUnavailableException.Failure.FAILED));
    }
    assertThat(guarded.state()).isEqualTo(CircuitBreaker.State.OPEN);

    assertThatThrownBy(() -> guarded.authorize("k", "pm_card_visa", AMOUNT))
        .isInstanceOfSatisfying(
            ProviderUnavailableException.class,
            e ->
                assertThat(e.failure())
                    .isEqualTo(ProviderUnavailableException.Failure.CIRCUIT_OPEN));
    assertThat(scripted.calls).hasValue(4);

    scripted.answer = () -> new ChargeResult.Authorized("ch_1", AMOUNT);
    Awaitility.await()
        .atMost(Duration.ofSeconds(5))
        .ignoreException(ProviderUnavailableException.class)
        .until(
            () ->
                guarded.authorize("k", "pm_card_visa", AMOUNT) instanceof ChargeResult.Authorized);
    assertThat(guarded.state()).isEqualTo(CircuitBreaker.State.CLOSED);
  }

  @Test
  void declinesAreAnswersNotFailures() {
    scripted.answer = () -> new ChargeResult.Declined(DeclineReason.CARD_EXPIRED, "expired_card");
    for (int i = 0; i < 10; i++) {
      assertThat(guarded.authorize("k" + i, "pm_card_expired", AMOUNT))
          .isInstanceOf(ChargeResult.Declined.class);
    }
    assertThat(guarded.state()).isEqualTo(CircuitBreaker.State.CLOSED);
    assertThat(scripted.calls).hasValue(10);
  }

  @Test
  void anyOtherExceptionOfTheProviderIsAFailureToRetry() {
    scripted.answer =
        () -> {
          throw new IllegalStateException("connection reset");
        };
    assertThatThrownBy(() -> guarded.authorize("k", "pm_card_visa", AMOUNT))
        .isInstanceOf(ProviderUnavailableException.class)
        .hasMessageContaining("connection reset")
        .hasCauseInstanceOf(IllegalStateException.class);
  }
}
