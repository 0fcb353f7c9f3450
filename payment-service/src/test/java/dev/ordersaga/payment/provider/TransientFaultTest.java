package dev.ordersaga.payment.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNoException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TransientFaultTest {

  @ParameterizedTest
  @CsvSource({
    "0.0, 0.5, BEFORE_EFFECT",
    "0.24, 0.5, BEFORE_EFFECT",
    "0.25, 0.5, AFTER_EFFECT",
    "0.49, 0.5, AFTER_EFFECT",
    "0.5, 0.5, NONE",
    "0.99, 0.5, NONE",
    "0.0, 0.0, NONE",
    "0.99, 1.0, AFTER_EFFECT"
  })
  void theDrawPicksTheFault(double draw, double rate, TransientFault expected) {
    assertThat(TransientFault.of(draw, rate)).isEqualTo(expected);
  }

  @Test
  void aFaultRaisesOnlyAtItsOwnMoment() {
    assertThatNoException()
        .isThrownBy(() -> TransientFault.AFTER_EFFECT.raiseIf(TransientFault.BEFORE_EFFECT, "x"));
    assertThatThrownBy(() -> TransientFault.AFTER_EFFECT.raiseIf(TransientFault.AFTER_EFFECT, "x"))
        .isInstanceOf(ProviderUnavailableException.class)
        .extracting(e -> ((ProviderUnavailableException) e).failure())
        .isEqualTo(ProviderUnavailableException.Failure.FAILED);
  }
}
