package dev.ordersaga.saga;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;

/**
 * The saga's meters, counted as an effect of its step: the runtime applies them once the step is
 * stored, so a step computed again (after a conflicting write, or by another engine) or replayed by
 * the replay check counts nothing twice.
 */
public interface SagaMeters {

  /** Adds one to counter {@code name} with the given tags (key, value, ...). */
  void count(String name, String... tags);

  /** Records a saga's duration in timer {@code saga.duration} with tag {@code outcome}. */
  void duration(String outcome, Duration duration);

  /** Meters counted at once in {@code registry}: for tests of the saga alone. */
  static SagaMeters immediate(MeterRegistry registry) {
    return new SagaMeters() {
      @Override
      public void count(String name, String... tags) {
        registry.counter(name, tags).increment();
      }

      @Override
      public void duration(String outcome, Duration duration) {
        record(registry, outcome, duration);
      }
    };
  }

  /** Records {@code duration} in {@code registry}'s {@code saga.duration} timer. */
  static void record(MeterRegistry registry, String outcome, Duration duration) {
    Timer.builder("saga.duration")
        .tag("outcome", outcome)
        .publishPercentileHistogram()
        .register(registry)
        .record(duration);
  }
}
