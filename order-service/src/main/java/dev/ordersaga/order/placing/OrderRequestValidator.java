package dev.ordersaga.order.placing;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ordersaga.messaging.contracts.Address;
import dev.ordersaga.messaging.contracts.Customer;
import dev.ordersaga.messaging.contracts.LineItem;
import dev.ordersaga.messaging.contracts.Money;
import dev.ordersaga.messaging.web.BadRequestException;
import dev.ordersaga.messaging.web.JsonBodies;
import dev.ordersaga.messaging.web.ValidatedBodies;
import java.util.Currency;
import java.util.List;

/**
 * Reads the body of {@code POST /orders} into an {@link OrderRequest} and checks it by its Bean
 * Validation constraints (messaging's {@link ValidatedBodies}: strict types, unknown fields
 * refused, every problem at once, each named by its JSON path such as {@code items[2].unitPrice}),
 * then makes the {@link NewOrder}: amounts at their currency's scale, the total computed.
 */
public final class OrderRequestValidator {

  private OrderRequestValidator() {}

  /**
   * Reads a request body and validates it.
   *
   * @throws InvalidRequestException naming every problem found
   */
  public static NewOrder validate(byte[] body) {
    return validate(readJson(body));
  }

  /**
   * Validates a parsed request body.
   *
   * @throws InvalidRequestException naming every problem found
   */
  public static NewOrder validate(JsonNode body) {
    return validate(body, null);
  }

  /**
   * Validates a parsed request body of a signed-in shopper, whose customer id stands in for an
   * absent {@code customerId}.
   *
   * @param ownCustomerId the shopper's customer id, or {@code null} to require the field
   * @throws InvalidRequestException naming every problem found
   */
  public static NewOrder validate(JsonNode body, String ownCustomerId) {
    OrderRequest request;
    try {
      request =
          ValidatedBodies.read(
              body, OrderRequest.class, read -> read.withCustomerIdIfAbsent(ownCustomerId));
    } catch (BadRequestException e) {
      throw invalid(e);
    }
    return newOrder(request);
  }

  /**
   * Parses the body as every API does ({@link JsonBodies}: strict UTF-8, strict JSON, decimals as
   * {@link java.math.BigDecimal}, every string valid Unicode).
   *
   * @throws InvalidRequestException for {@code body} when it is empty, not UTF-8 or not JSON, and
   *     for each string field that is not valid Unicode
   */
  public static JsonNode readJson(byte[] body) {
    try {
      return JsonBodies.read(body);
    } catch (BadRequestException e) {
      throw invalid(e);
    }
  }

  private static InvalidRequestException invalid(BadRequestException e) {
    return new InvalidRequestException(
        e.problems().stream().map(p -> new FieldError(p.field(), p.message())).toList());
  }

  private static NewOrder newOrder(OrderRequest request) {
    Currency currency = Currency.getInstance(request.currency());
    List<LineItem> items =
        request.items().stream()
            .map(
                line ->
                    new LineItem(
                        line.sku(),
                        line.quantity().intValueExact(),
                        new Money(
                            Pricing.atCurrencyScale(line.unitPrice(), currency),
                            currency.getCurrencyCode())))
            .toList();
    OrderRequest.ShippingAddress address = request.shippingAddress();
    String line2 = address.line2() == null || address.line2().isBlank() ? null : address.line2();
    return new NewOrder(
        new Customer(request.customerId(), request.customerEmail(), request.locale()),
        items,
        Pricing.total(items),
        new Address(
            address.name(),
            address.line1(),
            line2,
            address.city(),
            address.postalCode(),
            address.country()),
        request.paymentMethod().token());
  }
}
