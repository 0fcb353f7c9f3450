package dev.ordersaga.shipping.shipment;

import dev.ordersaga.messaging.contracts.shipping.ShipmentFailureReason;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The shipping meters, each counted once per effect (a re-sent reply counts only as re-sent):
 *
 * <ul>
 *   <li>{@value #SCHEDULED}: shipments booked;
 *   <li>{@value #FAILED}, tag {@code reason}: shipments refused;
 *   <li>{@value #CANCELLED}, tag {@code was}: cancellations, by what they found ({@code scheduled},
 *       {@code failed}, {@code unknown});
 *   <li>{@value #CARRIER_FAILURES}, tags {@code carrier}, {@code operation} ({@code book}, {@code
 *       cancel}): transient carrier failures, each followed by a redelivery;
 *   <li>{@value #REPLIES_RESENT}, tag {@code type}: stored replies sent again for a repeated
 *       command.
 * </ul>
 */
public final class ShippingMetrics {

  public static final String SCHEDULED = "shipping.shipments.scheduled";
  public static final String FAILED = "shipping.shipments.failed";
  public static final String CANCELLED = "shipping.shipments.cancelled";
  public static final String CARRIER_FAILURES = "shipping.carrier.failures";
  public static final String REPLIES_RESENT = "shipping.replies.resent";

  private final MeterRegistry registry;
  private final String carrier;

  public ShippingMetrics(MeterRegistry registry, String carrier) {
    this.registry = registry;
    this.carrier = carrier;
    // registered up front so that dashboards show zeros rather than nothing
    registry.counter(SCHEDULED);
    for (ShipmentFailureReason reason : ShipmentFailureReason.values()) {
      failedCounter(reason);
    }
    for (String was : new String[] {"scheduled", "failed", "unknown"}) {
      registry.counter(CANCELLED, "was", was);
    }
    for (String operation : new String[] {"book", "cancel"}) {
      carrierFailureCounter(operation);
    }
  }

  void scheduled() {
    registry.counter(SCHEDULED).increment();
  }

  void failed(ShipmentFailureReason reason) {
    failedCounter(reason).increment();
  }

  /**
   * @param was what the cancellation found: {@code scheduled}, {@code failed} or {@code unknown}
   */
  void cancelled(String was) {
    registry.counter(CANCELLED, "was", was).increment();
  }

  void carrierFailure(String operation) {
    carrierFailureCounter(operation).increment();
  }

  void replyResent(String type) {
    registry.counter(REPLIES_RESENT, "type", type).increment();
  }

  private Counter failedCounter(ShipmentFailureReason reason) {
    return registry.counter(FAILED, "reason", reason.name());
  }

  private Counter carrierFailureCounter(String operation) {
    return registry.counter(CARRIER_FAILURES, "carrier", carrier, "operation", operation);
  }
}
