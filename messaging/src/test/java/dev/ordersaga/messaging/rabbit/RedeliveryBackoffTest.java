package dev.ordersaga.messaging.rabbit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RedeliveryBackoffTest {

  private final RedeliveryBackoff backoff =
      new RedeliveryBackoff(Duration.ofMillis(500), Duration.ofSeconds(5));

  @Test
  void ceilingDoublesPerFailedDeliveryUpToTheCap() {
    assertThat(backoff.ceiling(1)).isEqualTo(Duration.ofMillis(500));
    assertThat(backoff.ceiling(2)).isEqualTo(Duration.ofMillis(1000));
    assertThat(backoff.ceiling(4)).isEqualTo(Duration.ofMillis(4000));
    assertThat(backoff.ceiling(5)).isEqualTo(Duration.ofSeconds(5));
    assertThat(backoff.ceiling(1000)).isEqualTo(Duration.ofSeconds(5));
  }

  @Test
  void delayIsBetweenHalfTheCeilingAndTheCeiling() {
    for (int failed = 1; failed <= 8; failed++) {
      for (int sample = 0; sample < 200; sample++) {
        Duration delay = backoff.delayAfter(failed);
        assertThat(delay).isBetween(backoff.ceiling(failed).dividedBy(2), backoff.ceiling(failed));
      }
    }
  }

  @Test
  void refusesACapBelowTheFirstStep() {
    assertThatThrownBy(() -> new RedeliveryBackoff(Duration.ofSeconds(2), Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
