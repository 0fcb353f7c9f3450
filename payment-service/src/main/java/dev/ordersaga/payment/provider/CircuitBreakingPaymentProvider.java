package dev.ordersaga.payment.provider;

import dev.ordersaga.messaging.contracts.Money;
import dev.ordersaga.messaging.tracing.MessageTracing;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Calls a provider through a Resilience4j circuit breaker. Any exception of the provider counts as
 * a failure and comes out as {@link ProviderUnavailableException}; declines and rejected refunds
 * are answers and count as successes. While the breaker is open, calls fail at once with {@link
 * ProviderUnavailableException.Failure#CIRCUIT_OPEN}, sparing a provider in trouble.
 */
public final class CircuitBreakingPaymentProvider implements PaymentProvider {

  private static final Logger log = LoggerFactory.getLogger(CircuitBreakingPaymentProvider.class);

  private final PaymentProvider provider;
  private final CircuitBreaker breaker;
  private final MessageTracing tracing;

  public CircuitBreakingPaymentProvider(PaymentProvider provider, CircuitBreaker breaker) {
    this(provider, breaker, MessageTracing.NONE);
  }

  /**
   * @param tracing records each call as a span ({@code payment provider charge}, {@code ...
   *     refund})
   */
  public CircuitBreakingPaymentProvider(
      PaymentProvider provider, CircuitBreaker breaker, MessageTracing tracing) {
    this.tracing = tracing;
    this.provider = provider;
    this.breaker = breaker;
    breaker
        .getEventPublisher()
        .onStateTransition(
            event ->
                log.warn(
                    "payment provider circuit breaker: {}", event.getStateTransition().name()));
  }

  /** A breaker named {@code payment-provider} with these settings. */
  public static CircuitBreaker breaker(ProviderSettings.CircuitBreaker settings) {
    return CircuitBreaker.of(
        "payment-provider",
        CircuitBreakerConfig.custom()
            .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
            .slidingWindowSize(settings.slidingWindowSize())
            .minimumNumberOfCalls(settings.minimumNumberOfCalls())
            .failureRateThreshold(settings.failureRateThreshold())
            .waitDurationInOpenState(settings.waitInOpenState())
            .permittedNumberOfCallsInHalfOpenState(settings.permittedCallsInHalfOpenState())
            .build());
  }

  public CircuitBreaker.State state() {
    return breaker.getState();
  }

  @Override
  public ChargeResult authorize(String idempotencyKey, String paymentToken, Money amount) {
    return call("charge", () -> provider.authorize(idempotencyKey, paymentToken, amount));
  }

  @Override
  public RefundResult refund(String idempotencyKey, String chargeId, Money amount) {
    return call("refund", () -> provider.refund(idempotencyKey, chargeId, amount));
  }

  private <T> T call(String operation, Supplier<T> call) {
    return tracing.inSpan(
        "payment provider " + operation,
        Map.of(),
        Map.of("peer.service", "payment-provider", "circuit.state", breaker.getState().name()),
        () -> guarded(operation, call));
  }

  private <T> T guarded(String operation, Supplier<T> call) {
    try {
      return breaker.executeSupplier(call);
    } catch (CallNotPermittedException e) {
      throw new ProviderUnavailableException(
          ProviderUnavailableException.Failure.CIRCUIT_OPEN,
          "payment provider circuit breaker is open; " + operation + " not attempted",
          e);
    } catch (ProviderUnavailableException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new ProviderUnavailableException(
          ProviderUnavailableException.Failure.FAILED,
          "payment provider " + operation + " failed: " + e.getMessage(),
          e);
    }
  }
}
