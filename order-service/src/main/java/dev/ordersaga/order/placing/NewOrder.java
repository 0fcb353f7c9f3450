package dev.ordersaga.order.placing;

import dev.ordersaga.messaging.contracts.Address;
import dev.ordersaga.messaging.contracts.Customer;
import dev.ordersaga.messaging.contracts.LineItem;
import dev.ordersaga.messaging.contracts.Money;
import java.util.List;

/**
 * A shopper's order request once validated: amounts at their currency's scale, the total computed.
 *
 * @param paymentToken the shopper's payment method as the payment provider knows it
 */
public record NewOrder(
    Customer customer,
    List<LineItem> items,
    Money total,
    Address shippingAddress,
    String paymentToken) {

  public NewOrder {
    items = List.copyOf(items);
  }
}
