package dev.ordersaga.messaging.contracts;

/**
 * Who placed the order and how to reach them.
 *
 * @param locale language tag of the customer's notices, such as {@code ko} or {@code en}
 */
public record Customer(String customerId, String email, String locale) {

  public Customer {
    Contracts.requireText(customerId, "customerId");
    Contracts.requireText(email, "email");
    locale = locale == null || locale.isBlank() ? "en" : locale;
  }
}
