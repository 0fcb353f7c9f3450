package dev.ordersaga.messaging.contracts;

/** Where a shipment goes. */
public record Address(
    String recipient, String line1, String line2, String city, String postalCode, String country) {

  public Address {
    Contracts.requireText(recipient, "recipient");
    Contracts.requireText(line1, "line1");
    Contracts.requireText(city, "city");
    Contracts.requireText(country, "country");
  }
}
