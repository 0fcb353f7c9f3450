package dev.ordersaga.saga.analytics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PercentilesTest {

  @Test
  void nearestRankOfOneToAHundred() {
    Percentiles values = new Percentiles();
    for (long v = 100; v >= 1; v--) {
      values.add(v);
    }

    assertThat(values.percentile(50)).isEqualTo(50);
    assertThat(values.percentile(95)).isEqualTo(95);
    assertThat(values.percentile(99)).isEqualTo(99);
    assertThat(values.percentile(100)).isEqualTo(100);
    assertThat(values.size()).isEqualTo(100);
  }

  @Test
  void fewValuesRoundTheRankUp() {
    Percentiles values = new Percentiles();
    values.add(30);
    values.add(10);
    values.add(20);

    // ranks: ceil(0.5 * 3) = 2, ceil(0.95 * 3) = 3
    assertThat(values.percentile(50)).isEqualTo(20);
    assertThat(values.percentile(95)).isEqualTo(30);
    assertThat(values.percentile(1)).isEqualTo(10);
  }

  @Test
  void noValuesNoPercentile() {
    assertThat(new Percentiles().percentile(50)).isNull();
    assertThatThrownBy(() -> new Percentiles().percentile(0))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
