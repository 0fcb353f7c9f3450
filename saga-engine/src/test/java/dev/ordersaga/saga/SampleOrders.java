package dev.ordersaga.saga;

import dev.ordersaga.messaging.contracts.Address;
import dev.ordersaga.messaging.contracts.Customer;
import dev.ordersaga.messaging.contracts.LineItem;
import dev.ordersaga.messaging.contracts.Money;
import dev.ordersaga.messaging.contracts.order.OrderPlaced;
import java.util.List;

/** The orders the saga's ITs and benchmarks place: one shopper in Seoul paying by a good card. */
public final class SampleOrders {

  private SampleOrders() {}

  /** Two mugs at 16.50 EUR: 33.00 EUR. */
  public static OrderPlaced placed(String orderId) {
    return placed(
        orderId,
        List.of(new LineItem("MUG-01", 2, Money.of("16.50", "EUR"))),
        Money.of("33.00", "EUR"));
  }

  /** One TV at {@code total}. */
  public static OrderPlaced placed(String orderId, Money total) {
    return placed(orderId, List.of(new LineItem("TV-01", 1, total)), total);
  }

  private static OrderPlaced placed(String orderId, List<LineItem> items, Money total) {
    return new OrderPlaced(
        orderId,
        new Customer("cust-1", "minji@example.com", "ko"),
        items,
        total,
        new Address("Kim Minji", "12 Sejong-daero", null, "Seoul", "04524", "KR"),
        "pm_card_visa");
  }
}
