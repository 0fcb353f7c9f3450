package dev.ordersaga.order.orders;

/** No order has this id. */
public final class OrderNotFoundException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final String orderId;

  public OrderNotFoundException(String orderId) {
    super("no order " + orderId);
    this.orderId = orderId;
  }

  public String orderId() {
    return orderId;
  }
}
