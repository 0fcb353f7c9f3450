package dev.ordersaga.compose;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LoadGeneratorTest {

  @Test
  void readsEveryOptionAndKeepsTheDefaultsOfTheOthers() {
    LoadGenerator.Plan plan =
        LoadGenerator.Plan.parse(
            List.of("--orders", "2000", "--provider-latency-ms", "5", "--declined", "0"));

    assertThat(plan).isEqualTo(new LoadGenerator.Plan(2000, 8, 0, 5, 5, 300));
    assertThat(LoadGenerator.Plan.parse(List.of())).isEqualTo(LoadGenerator.Plan.DEFAULT);
    assertThat(plan.latencySettings())
        .isEqualTo(Map.of("payment.provider.latency", "5ms", "shipping.carrier.latency", "5ms"));
  }

  @Test
  void refusesWhatItCannotRunSayingWhich() {
    assertThatThrownBy(() -> LoadGenerator.Plan.parse(List.of("--order", "5")))
        .hasMessage("unknown option --order");
    assertThatThrownBy(() -> LoadGenerator.Plan.parse(List.of("--orders")))
        .hasMessage("--orders needs a value");
    assertThatThrownBy(() -> LoadGenerator.Plan.parse(List.of("--concurrency", "many")))
        .hasMessage("--concurrency needs a whole number, not 'many'");
    assertThatThrownBy(() -> LoadGenerator.Plan.parse(List.of("--orders", "0")))
        .hasMessage("--orders must be at least 1");
    assertThatThrownBy(
            () -> LoadGenerator.Plan.parse(List.of("--declined", "60", "--undeliverable", "50")))
        .hasMessage("--declined and --undeliverable together must be at most 100");
    assertThatThrownBy(() -> LoadGenerator.Plan.parse(List.of("--provider-latency-ms", "-1")))
        .hasMessage("--provider-latency-ms must be 0 to 60000");
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
        new HeapWatch.Peaks(0, 0, 0, 0));
  }
}
