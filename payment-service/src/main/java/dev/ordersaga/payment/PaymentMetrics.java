package dev.ordersaga.payment;

import dev.ordersaga.messaging.contracts.payment.DeclineReason;
import dev.ordersaga.messaging.contracts.payment.RefundFailureReason;
import dev.ordersaga.payment.provider.ProviderUnavailableException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Locale;

/**
 * The payment meters, each counted once per effect (a retried command that re-sends a stored reply
 * counts nothing): {@code payment.authorizations}, {@code payment.declines} (tag {@code reason}),
 * {@code payment.refunds}, {@code payment.refund.failures} (tag {@code reason}) and {@code
 * payment.provider.failures} (tags {@code operation}: charge or refund, {@code failure}: failed or
 * circuit_open).
 */
public final class PaymentMetrics {

  private final MeterRegistry registry;

  public PaymentMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  void authorized() {
    registry.counter("payment.authorizations").increment();
  }

  void declined(DeclineReason reason) {
    registry.counter("payment.declines", "reason", reason.name()).increment();
  }

  void refunded() {
    registry.counter("payment.refunds").increment();
  }

  void refundFailed(RefundFailureReason reason) {
    registry.counter("payment.refund.failures", "reason", reason.name()).increment();
  }

  void providerFailed(String operation, ProviderUnavailableException.Failure failure) {
    Counter.builder("payment.provider.failures")
        .tag("operation", operation)
        .tag("failure", failure.name().toLowerCase(Locale.ROOT))
        .register(registry)
        .increment();
  }
}
