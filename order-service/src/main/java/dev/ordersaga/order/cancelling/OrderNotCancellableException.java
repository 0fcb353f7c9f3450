package dev.ordersaga.order.cancelling;

import dev.ordersaga.order.orders.Order;

/** The order has reached a final status, so it can no longer be cancelled; answered 409. */
public final class OrderNotCancellableException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final transient Order order;

  public OrderNotCancellableException(Order order) {
    super(
        "order "
            + order.orderId()
            + " is "
            + order.status()
            + (order.reason() == null ? "" : " (" + order.reason() + ")")
            + " and can no longer be cancelled");
    this.order = order;
  }

  public Order order() {
    return order;
  }
}
