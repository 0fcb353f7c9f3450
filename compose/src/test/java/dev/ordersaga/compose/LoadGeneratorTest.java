package dev.ordersaga.compose;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Map;
import org.junit.jupiter.api.Test;

class LoadGeneratorTest {

  @Test
  void givesTheSimulatedProviderAndCarrierThePlansLatency() {
    assertThat(new LoadGenerator.Plan(2000, 8, 0, 5, 5, 300).latencySettings())
        .isEqualTo(Map.of("payment.provider.latency", "5ms", "shipping.carrier.latency", "5ms"));
  }

  @Test
  void measuresTheFirstAndLastTenthOfAShortRun() {
    // 20 orders finishing one every 100 ms, then the last two 1 s apart
    long[] finished = new long[20];
    for (int i = 0; i < 18; i++) {
      finished[i] = (i + 1) * 100_000_000L;
    }
    finished[18] = 2_800_000_000L;
    finished[19] = 3_800_000_000L;
    LoadGenerator.Result result = result(finished);

    assertThat(result.windowSize()).isEqualTo(2);
    assertThat(result.firstWindowPerSecond()).isCloseTo(10.0, within(1e-9));
    assertThat(result.lastWindowPerSecond()).isCloseTo(2 / 2.0, within(1e-9));
  }

  @Test
  void takesWindowsOfAThousandInALongRun() {
    long[] finished = new long[30_000];
    for (int i = 0; i < finished.length; i++) {
      finished[finished.length - 1 - i] = (i + 1) * 10_000_000L; // out of order on purpose
    }

    LoadGenerator.Result result = result(finished);

    assertThat(result.windowSize()).isEqualTo(1000);
    assertThat(result.firstWindowPerSecond()).isCloseTo(100.0, within(1e-6));
    assertThat(result.lastWindowPerSecond()).isCloseTo(100.0, within(1e-6));
  }

  private static LoadGenerator.Result result(long[] finished) {
    return new LoadGenerator.Result(
        finished.length,
        4.0,
        new long[finished.length],
        finished,
        Map.of(),
        0,
        new HeapWatch.Peaks(0, 0, 0, 0),
        new CpuWatch.Usage(0, 2));
  }
}
