package dev.ordersaga.order.placing;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ordersaga.messaging.contracts.Address;
import dev.ordersaga.messaging.contracts.Customer;
import dev.ordersaga.messaging.contracts.LineItem;
import dev.ordersaga.messaging.contracts.Money;
import dev.ordersaga.messaging.web.BadRequestException;
import dev.ordersaga.messaging.web.JsonBodies;
import dev.ordersaga.messaging.web.RequestValues;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Currency;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads and checks the body of {@code POST /orders}, collecting every problem at once, each named
 * by its JSON path ({@code items[2].unitPrice}). Amounts are read as {@link BigDecimal} from JSON
 * numbers or decimal strings, never through a double. Unknown fields are refused.
 *
 * <p>Limits: at most {@value #MAX_LINES} lines, quantities 1 to {@value #MAX_QUANTITY}, unit prices
 * above 0 and at most {@link #MAX_UNIT_PRICE}, an order total of at most {@link #MAX_TOTAL}, and no
 * more decimal places than the currency has (trailing zeros do not count: {@code 1000.00} KRW is
 * fine, {@code 1000.5} KRW is not).
 */
public final class OrderRequestValidator {

  public static final int MAX_LINES = 100;
  public static final int MAX_QUANTITY = 1_000;
  public static final BigDecimal MAX_UNIT_PRICE = new BigDecimal("1000000");
  public static final BigDecimal MAX_TOTAL = new BigDecimal("100000000");

  /** Locales the notices are written in. */
  public static final List<String> LOCALES = List.of("ko", "en");

  static final int MAX_ID_LENGTH = 100;
  static final int MAX_EMAIL_LENGTH = 254;
  static final int MAX_TEXT_LENGTH = 200;
  static final int MAX_POSTAL_CODE_LENGTH = 20;
  static final int MAX_TOKEN_LENGTH = 255;

  private static final Set<String> ORDER_FIELDS =
      Set.of(
          "customerId",
          "customerEmail",
          "locale",
          "currency",
          "items",
          "shippingAddress",
          "paymentMethod");
  private static final Set<String> LINE_FIELDS = Set.of("sku", "quantity", "unitPrice");
  private static final Set<String> ADDRESS_FIELDS =
      Set.of("name", "line1", "line2", "city", "postalCode", "country");
  private static final Set<String> PAYMENT_FIELDS = Set.of("token");
  private static final Set<String> COUNTRIES = Set.of(Locale.getISOCountries());
  private static final Pattern DECIMAL = Pattern.compile("\\d{1,30}(\\.\\d{1,30})?");
  private static final Pattern CURRENCY_CODE = Pattern.compile("[A-Z]{3}");
  private static final Pattern COUNTRY_CODE = Pattern.compile("[A-Z]{2}");

  private final List<FieldError> errors = new ArrayList<>();

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
    OrderRequestValidator validator = new OrderRequestValidator();
    NewOrder order = validator.order(body, ownCustomerId);
    if (!validator.errors.isEmpty()) {
      throw new InvalidRequestException(validator.errors);
    }
    return order;
  }

  /**
   * Parses the body as every API does ({@link JsonBodies}: strict UTF-8, strict JSON, decimals as
   * {@link BigDecimal}, every string valid Unicode).
   *
   * @throws InvalidRequestException for {@code body} when it is empty, not UTF-8 or not JSON, and
   *     for each string field that is not valid Unicode
   */
  public static JsonNode readJson(byte[] body) {
    try {
      return JsonBodies.read(body);
    } catch (BadRequestException e) {
      throw new InvalidRequestException(
          e.problems().stream().map(p -> new FieldError(p.field(), p.message())).toList());
    }
  }

  private NewOrder order(JsonNode body, String ownCustomerId) {
    if (body == null || !body.isObject()) {
      error("body", "must be a JSON object");
      return null;
    }
    rejectUnknown(body, "", ORDER_FIELDS);
    String customerId =
        ownCustomerId != null && missing(body.get("customerId"))
            ? ownCustomerId
            : text(body, "customerId", "", MAX_ID_LENGTH, true);
    String email = text(body, "customerEmail", "", MAX_EMAIL_LENGTH, true);
    if (email != null && !RequestValues.isEmail(email)) {
      error(
          "customerEmail",
          "must be an e-mail address such as name@example.com (no display name, quotes or"
              + " address literal)");
    }
    String locale = text(body, "locale", "", MAX_ID_LENGTH, true);
    if (locale != null && !LOCALES.contains(locale)) {
      error("locale", "must be one of " + String.join(", ", LOCALES));
    }
    Currency currency = currency(text(body, "currency", "", MAX_ID_LENGTH, true));
    List<LineItem> items = lines(body.get("items"), currency);
    Address address = address(body.get("shippingAddress"));
    String paymentToken = paymentToken(body.get("paymentMethod"));
    Money total = null;
    if (items != null) {
      total = Pricing.total(items);
      if (total.amount().compareTo(MAX_TOTAL) > 0) {
        error(
            "items",
            "add up to "
                + total.amount().toPlainString()
                + " "
                + total.currency()
                + ", more than the maximum order total of "
                + MAX_TOTAL.toPlainString());
      }
    }
    if (!errors.isEmpty()) {
      return null;
    }
    return new NewOrder(
        new Customer(customerId, email, locale), items, total, address, paymentToken);
  }

  private Currency currency(String code) {
    if (code == null) {
      return null;
    }
    Currency currency = null;
    if (CURRENCY_CODE.matcher(code).matches()) {
      try {
        currency = Currency.getInstance(code);
      } catch (IllegalArgumentException unknown) {
        currency = null;
      }
    }
    if (currency == null) {
      error("currency", "must be an ISO 4217 currency code such as EUR, USD or KRW");
    } else if (currency.getDefaultFractionDigits() < 0) {
      error("currency", code + " is not a currency orders can be paid in");
      currency = null;
    }
    return currency;
  }

  private List<LineItem> lines(JsonNode node, Currency currency) {
    if (missing(node)) {
      error("items", "is required");
      return null;
    }
    if (!node.isArray()) {
      error("items", "must be an array of order lines");
      return null;
    }
    if (node.isEmpty()) {
      error("items", "must have at least 1 line");
      return null;
    }
    if (node.size() > MAX_LINES) {
      error("items", "must have at most " + MAX_LINES + " lines, has " + node.size());
      return null;
    }
    List<LineItem> lines = new ArrayList<>();
    for (int i = 0; i < node.size(); i++) {
      LineItem line = line(node.get(i), "items[" + i + "]", currency);
      if (line != null) {
        lines.add(line);
      }
    }
    return lines.size() == node.size() ? lines : null;
  }

  private LineItem line(JsonNode node, String path, Currency currency) {
    if (!isObject(node, path)) {
      return null;
    }
    rejectUnknown(node, path + ".", LINE_FIELDS);
    String sku = text(node, "sku", path + ".", MAX_ID_LENGTH, true);
    Integer quantity = quantity(node.get("quantity"), path + ".quantity");
    BigDecimal unitPrice = unitPrice(node.get("unitPrice"), path + ".unitPrice", currency);
    if (sku == null || quantity == null || unitPrice == null || currency == null) {
      return null;
    }
    return new LineItem(
        sku,
        quantity,
        new Money(Pricing.atCurrencyScale(unitPrice, currency), currency.getCurrencyCode()));
  }

  private Integer quantity(JsonNode node, String path) {
    if (missing(node)) {
      error(path, "is required");
      return null;
    }
    if (!node.isIntegralNumber()) {
      error(path, "must be a whole number");
      return null;
    }
    if (node.bigIntegerValue().signum() <= 0) {
      error(path, "must be at least 1");
      return null;
    }
    if (!node.canConvertToInt() || node.intValue() > MAX_QUANTITY) {
      error(path, "must be at most " + MAX_QUANTITY);
      return null;
    }
    return node.intValue();
  }

  private BigDecimal unitPrice(JsonNode node, String path, Currency currency) {
    if (missing(node)) {
      error(path, "is required");
      return null;
    }
    BigDecimal amount;
    if (node.isNumber() && (node.isIntegralNumber() || node.isBigDecimal())) {
      amount = node.decimalValue();
    } else if (node.isTextual() && DECIMAL.matcher(node.textValue()).matches()) {
      amount = new BigDecimal(node.textValue());
    } else if (node.isTextual() && node.textValue().startsWith("-")) {
      error(path, "must be greater than 0");
      return null;
    } else {
      error(path, "must be a decimal number such as 12.50 (a JSON number or string)");
      return null;
    }
    if (amount.signum() <= 0) {
      error(path, "must be greater than 0");
      return null;
    }
    if (amount.compareTo(MAX_UNIT_PRICE) > 0) {
      error(path, "must be at most " + MAX_UNIT_PRICE.toPlainString());
      return null;
    }
    if (currency != null && Pricing.decimalPlaces(amount) > currency.getDefaultFractionDigits()) {
      error(
          path,
          "has more decimal places than "
              + currency.getCurrencyCode()
              + " allows ("
              + currency.getDefaultFractionDigits()
              + ")");
      return null;
    }
    return amount;
  }

  private Address address(JsonNode node) {
    String path = "shippingAddress";
    if (missing(node)) {
      error(path, "is required");
      return null;
    }
    if (!isObject(node, path)) {
      return null;
    }
    rejectUnknown(node, path + ".", ADDRESS_FIELDS);
    String prefix = path + ".";
    String name = text(node, "name", prefix, MAX_TEXT_LENGTH, true);
    String line1 = text(node, "line1", prefix, MAX_TEXT_LENGTH, true);
    String line2 = text(node, "line2", prefix, MAX_TEXT_LENGTH, false);
    String city = text(node, "city", prefix, MAX_TEXT_LENGTH, true);
    String postalCode = text(node, "postalCode", prefix, MAX_POSTAL_CODE_LENGTH, true);
    String country = text(node, "country", prefix, MAX_ID_LENGTH, true);
    if (country != null
        && !(COUNTRY_CODE.matcher(country).matches() && COUNTRIES.contains(country))) {
      error(prefix + "country", "must be an ISO 3166-1 alpha-2 country code such as KR or DE");
      return null;
    }
    if (name == null || line1 == null || city == null || postalCode == null || country == null) {
      return null;
    }
    return new Address(name, line1, line2, city, postalCode, country);
  }

  private String paymentToken(JsonNode node) {
    String path = "paymentMethod";
    if (missing(node)) {
      error(path, "is required");
      return null;
    }
    if (!isObject(node, path)) {
      return null;
    }
    rejectUnknown(node, path + ".", PAYMENT_FIELDS);
    return text(node, "token", path + ".", MAX_TOKEN_LENGTH, true);
  }

  /**
   * A string field, or {@code null} after recording why not. An optional field that is absent, null
   * or blank is {@code null} without an error.
   */
  private String text(
      JsonNode parent, String field, String prefix, int maxLength, boolean required) {
    String path = prefix + field;
    JsonNode node = parent.get(field);
    if (missing(node)) {
      if (required) {
        error(path, "is required");
      }
      return null;
    }
    if (!node.isTextual()) {
      error(path, "must be a string");
      return null;
    }
    String value = node.textValue();
    if (value.isBlank()) {
      if (required) {
        error(path, "must not be blank");
      }
      return null;
    }
    if (value.length() > maxLength) {
      error(path, "must be at most " + maxLength + " characters");
      return null;
    }
    if (value.chars().anyMatch(Character::isISOControl)) {
      error(path, "must not contain control characters");
      return null;
    }
    return value;
  }

  private boolean isObject(JsonNode node, String path) {
    if (missing(node)) {
      error(path, "is required");
      return false;
    }
    if (!node.isObject()) {
      error(path, "must be a JSON object");
      return false;
    }
    return true;
  }

  private void rejectUnknown(JsonNode node, String prefix, Set<String> known) {
    for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!known.contains(name)) {
        error(prefix + name, "is not a known field");
      }
    }
  }

  private static boolean missing(JsonNode node) {
    return node == null || node.isNull() || node.isMissingNode();
  }

  private void error(String field, String message) {
    errors.add(new FieldError(field, message));
  }
}
