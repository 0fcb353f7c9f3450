package dev.ordersaga.order.placing;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class IdempotencyKeysTest {

  @Test
  void acceptsNoKeyAndVisibleAsciiKeys() {
    assertThat(IdempotencyKeys.problem(null)).isEmpty();
    assertThat(IdempotencyKeys.problem("4f1c2a9e-8d3b-4b7a-9a51-0c6f3e2d1b7a")).isEmpty();
    assertThat(IdempotencyKeys.problem("x".repeat(IdempotencyKeys.MAX_LENGTH))).isEmpty();
  }

  @Test
  void refusesEmptyLongAndNonAsciiKeys() {
    assertThat(IdempotencyKeys.problem(""))
        .get()
        .extracting(FieldError::field)
        .isEqualTo("Idempotency-Key");
    assertThat(IdempotencyKeys.problem("x".repeat(IdempotencyKeys.MAX_LENGTH + 1))).isPresent();
    assertThat(IdempotencyKeys.problem("two words")).isPresent();
    assertThat(IdempotencyKeys.problem("주문-1")).isPresent();
  }
}
