package dev.ordersaga.order.orders;

import dev.ordersaga.messaging.contracts.Customer;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Orders for unit tests that need one as it stands, not as placing one would make it. */
public final class TestOrders {

  private TestOrders() {}

  /** An order of customer {@code c-42} with no items, nothing pending and the given status. */
  public static Order order(String orderId, OrderStatus status, Instant createdAt) {
    return new Order(
        orderId,
        status,
        null,
        new Customer("c-42", "jiwoo@example.com", "ko"),
        List.of(),
        null,
        null,
        "tok",
        null,
        "fingerprint",
        createdAt,
        createdAt,
        null,
        null,
        List.of(),
        Map.of(),
        Order.FIRST_VERSION);
  }
}
