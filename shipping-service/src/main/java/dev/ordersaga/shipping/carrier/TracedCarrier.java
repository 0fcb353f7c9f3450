package dev.ordersaga.shipping.carrier;

import dev.ordersaga.messaging.contracts.Address;
import dev.ordersaga.messaging.contracts.LineItem;
import dev.ordersaga.messaging.tracing.MessageTracing;
import java.util.List;
import java.util.Map;

/** A carrier whose every call is a span ({@code carrier book}, {@code carrier cancel}). */
final class TracedCarrier implements Carrier {

  private final Carrier carrier;
  private final MessageTracing tracing;

  TracedCarrier(Carrier carrier, MessageTracing tracing) {
    this.carrier = carrier;
    this.tracing = tracing;
  }

  @Override
  public String name() {
    return carrier.name();
  }

  @Override
  public Booking book(String idempotencyKey, Address address, List<LineItem> items) {
    return tracing.inSpan(
        "carrier book",
        Map.of(),
        tags(idempotencyKey),
        () -> carrier.book(idempotencyKey, address, items));
  }

  @Override
  public void cancel(String idempotencyKey) {
    tracing.inSpan(
        "carrier cancel",
        Map.of(),
        tags(idempotencyKey),
        () -> {
          carrier.cancel(idempotencyKey);
          return null;
        });
  }

  private Map<String, String> tags(String idempotencyKey) {
    return Map.of("peer.service", carrier.name(), "idempotency.key", idempotencyKey);
  }
}
