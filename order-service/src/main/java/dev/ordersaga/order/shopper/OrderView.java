package dev.ordersaga.order.shopper;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.ordersaga.order.orders.Order;
import java.time.Instant;

/**
 * An order as the shopper sees it.
 *
 * @param reason why it was rejected or cancelled; absent otherwise
 * @param total the order total; the amount is a decimal string, exact
 * @param cancellationRequested whether the shopper asked to cancel it
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record OrderView(
    String orderId,
    String status,
    String reason,
    MoneyView total,
    boolean cancellationRequested,
    Instant createdAt,
    Instant updatedAt) {

  /** An amount as a decimal string (never a float) and its ISO 4217 currency. */
  record MoneyView(String amount, String currency) {}

  static OrderView of(Order order) {
    return new OrderView(
        order.orderId(),
        order.status().name(),
        order.reason() == null ? null : order.reason().name(),
        new MoneyView(order.total().amount().toPlainString(), order.total().currency()),
        order.cancellationRequested(),
        order.createdAt(),
        order.updatedAt());
  }
}
