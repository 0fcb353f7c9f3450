package dev.ordersaga.saga;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Deadlines and retries of the order saga ({@code saga.*}).
 *
 * @param stepTimeout how long the first attempt of a step waits for its reply; each further attempt
 *     waits twice as long, with jitter, up to {@code maxStepTimeout}
 * @param maxStepTimeout the longest wait of one attempt
 * @param maxAttempts attempts of one step before it counts as failed (a forward step then
 *     compensates; a compensation step then raises COMPENSATION_FAILED)
 */
@ConfigurationProperties("saga")
public record SagaSettings(Duration stepTimeout, Duration maxStepTimeout, int maxAttempts) {

  public SagaSettings {
    stepTimeout = stepTimeout == null ? Duration.ofSeconds(10) : stepTimeout;
    maxStepTimeout = maxStepTimeout == null ? Duration.ofSeconds(60) : maxStepTimeout;
    maxAttempts = maxAttempts < 1 ? 5 : maxAttempts;
  }

  /**
   * The deadline of an attempt: {@code stepTimeout * 2^(attempt-1)}, capped, minus up to a quarter
   * as jitter. The jitter is derived from the saga, step and attempt, so it is spread across sagas
   * and still the same on every replay.
   */
  public Duration timeoutOf(String orderId, Step step, int attempt) {
    long base = stepTimeout.toMillis() << Math.min(Math.max(attempt - 1, 0), 20);
    long capped = Math.min(base, maxStepTimeout.toMillis());
    long spread = Math.floorMod((orderId + step + attempt).hashCode(), 1000);
    return Duration.ofMillis(capped - capped / 4 * spread / 1000);
  }
}
