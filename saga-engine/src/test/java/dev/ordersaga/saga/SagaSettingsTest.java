package dev.ordersaga.saga;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class SagaSettingsTest {

  private final SagaSettings settings =
      new SagaSettings(Duration.ofSeconds(10), Duration.ofSeconds(60), 5);

  @Test
  void deadlinesDoubleUpToTheCapLessAtMostAQuarterOfJitter() {
    assertThat(settings.timeoutOf("o-1", Step.AUTHORIZE_PAYMENT, 1))
        .isBetween(Duration.ofMillis(7500), Duration.ofSeconds(10));
    assertThat(settings.timeoutOf("o-1", Step.AUTHORIZE_PAYMENT, 2))
        .isBetween(Duration.ofSeconds(15), Duration.ofSeconds(20));
    assertThat(settings.timeoutOf("o-1", Step.AUTHORIZE_PAYMENT, 5))
        .isBetween(Duration.ofSeconds(45), Duration.ofSeconds(60));
  }

  @Test
  void jitterIsStableForOneSagaAndSpreadAcrossSagas() {
    assertThat(settings.timeoutOf("o-1", Step.AUTHORIZE_PAYMENT, 1))
        .isEqualTo(settings.timeoutOf("o-1", Step.AUTHORIZE_PAYMENT, 1));
    long distinct =
        java.util.stream.IntStream.range(0, 50)
            .mapToObj(i -> settings.timeoutOf("o-" + i, Step.AUTHORIZE_PAYMENT, 1))
            .distinct()
            .count();
    assertThat(distinct).isGreaterThan(10);
  }

  @Test
  void unsetValuesTakeTheDefaults() {
    SagaSettings defaults = new SagaSettings(null, null, 0);

    assertThat(defaults.stepTimeout()).isEqualTo(Duration.ofSeconds(10));
    assertThat(defaults.maxAttempts()).isEqualTo(5);
  }
}
