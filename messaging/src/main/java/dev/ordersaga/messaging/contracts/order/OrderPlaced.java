package dev.ordersaga.messaging.contracts.order;

import static dev.ordersaga.messaging.contracts.Contracts.require;
import static dev.ordersaga.messaging.contracts.Contracts.requireNonEmpty;
import static dev.ordersaga.messaging.contracts.Contracts.requireText;

import dev.ordersaga.messaging.Event;
import dev.ordersaga.messaging.WireType;
import dev.ordersaga.messaging.contracts.Address;
import dev.ordersaga.messaging.contracts.Customer;
import dev.ordersaga.messaging.contracts.LineItem;
import dev.ordersaga.messaging.contracts.Money;
import java.util.List;

/**
 * A shopper placed an order; starts the order saga.
 *
 * @param paymentToken the shopper's payment method as the payment provider knows it (a token, never
 *     card data)
 */
@WireType(name = "order.OrderPlaced")
public record OrderPlaced(
    String orderId,
    Customer customer,
    List<LineItem> items,
    Money total,
    Address shippingAddress,
    String paymentToken)
    implements Event {

  public OrderPlaced {
    requireText(orderId, "orderId");
    require(customer, "customer");
    items = requireNonEmpty(items, "items");
    require(total, "total");
    require(shippingAddress, "shippingAddress");
    requireText(paymentToken, "paymentToken");
  }
}
