package dev.ordersaga.messaging.contracts;

/** One line of an order: a product, how many, and the price of one. */
public record LineItem(String sku, int quantity, Money unitPrice) {

  public LineItem {
    Contracts.requireText(sku, "sku");
    if (quantity < 1) {
      throw new IllegalArgumentException("quantity must be 1 or more, was " + quantity);
    }
    java.util.Objects.requireNonNull(unitPrice, "unitPrice is required");
  }
}
