package dev.ordersaga.order.orders;

/**
 * Where an order stands for the shopper. PENDING until the saga ends; the other three are final and
 * never change again.
 */
public enum OrderStatus {
  PENDING,
  APPROVED,
  REJECTED,
  CANCELLED;

  public boolean isFinal() {
    return this != PENDING;
  }
}
