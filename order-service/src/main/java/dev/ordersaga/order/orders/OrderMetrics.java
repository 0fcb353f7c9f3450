package dev.ordersaga.order.orders;

import dev.ordersaga.messaging.contracts.order.RejectionReason;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.stereotype.Component;

/**
 * Order meters: {@code orders.placed} (tag {@code currency}), {@code orders.replayed} (a POST
 * answered from its {@code Idempotency-Key}), {@code orders.cancellations.requested}, and {@code
 * orders.finished} (tags {@code status}, {@code reason}).
 */
@Component
public class OrderMetrics {

  private final MeterRegistry registry;

  public OrderMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  public void placed(String currency) {
    Counter.builder("orders.placed")
        .description("Orders placed by shoppers")
        .tag("currency", currency)
        .register(registry)
        .increment();
  }

  public void replayed() {
    Counter.builder("orders.replayed")
        .description("Order requests answered from their Idempotency-Key")
        .register(registry)
        .increment();
  }

  public void cancellationRequested() {
    Counter.builder("orders.cancellations.requested")
        .description("Cancellations requested by shoppers")
        .register(registry)
        .increment();
  }

  public void refundPending(RejectionReason reason) {
    Counter.builder("orders.refund.pending")
        .description("Orders being undone whose refund failed and waits for an operator")
        .tag("reason", reason.name())
        .register(registry)
        .increment();
  }

  public void finished(OrderStatus status, RejectionReason reason) {
    Counter.builder("orders.finished")
        .description("Orders that reached a final status")
        .tag("status", status.name())
        .tag("reason", reason == null ? "none" : reason.name())
        .register(registry)
        .increment();
  }
}
