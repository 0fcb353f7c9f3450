package dev.ordersaga.payment.provider;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings under {@code payment.provider.*}: the simulated provider and the circuit breaker around
 * it.
 *
 * @param latency how long every call to the simulated provider takes
 * @param flakyFailureRate share of calls about a {@code pm_card_flaky} charge that fail
 *     transiently, from 0 to 1
 * @param randomSeed seeds the draws that pick the failing calls, for a repeatable run; unset:
 *     random
 * @param circuitBreaker the circuit breaker around the provider
 */
@ConfigurationProperties("payment.provider")
public record ProviderSettings(
    @DefaultValue("50ms") Duration latency,
    @DefaultValue("0.5") double flakyFailureRate,
    Long randomSeed,
    @DefaultValue CircuitBreaker circuitBreaker) {

  public ProviderSettings {
    if (latency.isNegative()) {
      throw new IllegalArgumentException("payment.provider.latency must not be negative");
    }
    if (!(flakyFailureRate >= 0 && flakyFailureRate <= 1)) {
      throw new IllegalArgumentException(
          "payment.provider.flaky-failure-rate must be from 0 to 1, was " + flakyFailureRate);
    }
  }

  /**
   * The circuit breaker (Resilience4j, count-based window). It opens when, over the last {@code
   * slidingWindowSize} calls and at least {@code minimumNumberOfCalls}, the failed share reaches
   * {@code failureRateThreshold} percent; it then refuses calls for {@code waitInOpenState}, and
   * lets {@code permittedCallsInHalfOpenState} trial calls through before closing again.
   */
  public record CircuitBreaker(
      @DefaultValue("50") float failureRateThreshold,
      @DefaultValue("20") int slidingWindowSize,
      @DefaultValue("10") int minimumNumberOfCalls,
      @DefaultValue("10s") Duration waitInOpenState,
      @DefaultValue("2") int permittedCallsInHalfOpenState) {}
}
