package dev.ordersaga.order.placing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ordersaga.messaging.contracts.Address;
import dev.ordersaga.messaging.contracts.Customer;
import dev.ordersaga.messaging.contracts.LineItem;
import dev.ordersaga.messaging.contracts.Money;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class OrderRequestValidatorTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** A valid request: two lines, one price as a JSON number, one as a string. */
  static ObjectNode validRequest() {
    ObjectNode request = JSON.createObjectNode();
    request.put("customerId", "c-42");
    request.put("customerEmail", "jiwoo@example.com");
    request.put("locale", "ko");
    request.put("currency", "EUR");
    ArrayNode items = request.putArray("items");
    items
        .addObject()
        .put("sku", "MUG-1")
        .put("quantity", 2)
        .put("unitPrice", new BigDecimal("12.5"));
    items.addObject().put("sku", "TEA-7").put("quantity", 3).put("unitPrice", "0.10");
    request
        .putObject("shippingAddress")
        .put("name", "Jiwoo Kim")
        .put("line1", "12 Sejong-daero")
        .put("line2", "Apt 301")
        .put("city", "Seoul")
        .put("postalCode", "04524")
        .put("country", "KR");
    request.putObject("paymentMethod").put("token", "tok_visa_4242");
    return request;
  }

  private static byte[] bytes(ObjectNode request) {
    return request.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static NewOrder validate(ObjectNode request) {
    return OrderRequestValidator.validate(bytes(request));
  }

  private static List<FieldError> errorsOf(byte[] body) {
    InvalidRequestException e =
        catchThrowableOfType(
            InvalidRequestException.class, () -> OrderRequestValidator.validate(body));
    assertThat(e).as("the request is refused").isNotNull();
    return e.errors();
  }

  private static List<String> fieldsOf(ObjectNode request) {
    return errorsOf(bytes(request)).stream().map(FieldError::field).toList();
  }

  @Test
  void takesTheShoppersOwnCustomerIdWhenTheRequestHasNone() {
    ObjectNode request = validRequest();
    request.remove("customerId");

    NewOrder order = OrderRequestValidator.validate(request, "c-77");
    NewOrder stated = OrderRequestValidator.validate(validRequest(), "c-77");

    assertThat(order.customer().customerId()).isEqualTo("c-77");
    // a stated customer id is kept, for the caller to check against the shopper's own
    assertThat(stated.customer().customerId()).isEqualTo("c-42");
    assertThatThrownBy(() -> OrderRequestValidator.validate(request))
        .isInstanceOfSatisfying(
            InvalidRequestException.class,
            e ->
                assertThat(e.errors()).extracting(FieldError::field).containsExactly("customerId"));
  }

  @Test
  void mapsAValidRequestWithAmountsAtTheCurrencyScale() {
    NewOrder order = validate(validRequest());

    assertThat(order.customer()).isEqualTo(new Customer("c-42", "jiwoo@example.com", "ko"));
    assertThat(order.items())
        .containsExactly(
            new LineItem("MUG-1", 2, Money.of("12.50", "EUR")),
            new LineItem("TEA-7", 3, Money.of("0.10", "EUR")));
    assertThat(order.total()).isEqualTo(Money.of("25.30", "EUR"));
    assertThat(order.shippingAddress())
        .isEqualTo(new Address("Jiwoo Kim", "12 Sejong-daero", "Apt 301", "Seoul", "04524", "KR"));
    assertThat(order.paymentToken()).isEqualTo("tok_visa_4242");
  }

  @Test
  void readsAmountsExactlyFromNumbersWithManyDigits() {
    ObjectNode request = validRequest();
    request.put("currency", "KWD"); // three decimal places
    ArrayNode items = request.putArray("items");
    items.addObject().put("sku", "A").put("quantity", 1).put("unitPrice", "999999.999");
    request.set("items", items);
    String body = request.toString().replace("\"999999.999\"", "999999.999");

    NewOrder order = OrderRequestValidator.validate(body.getBytes(StandardCharsets.UTF_8));

    assertThat(order.items().get(0).unitPrice().amount()).isEqualTo(new BigDecimal("999999.999"));
    assertThat(order.total()).isEqualTo(Money.of("999999.999", "KWD"));
  }

  @Test
  void takesTrailingZerosBeyondTheCurrencyScaleAsTheSameAmount() {
    ObjectNode request = validRequest();
    request.put("currency", "KRW");
    request
        .putArray("items")
        .addObject()
        .put("sku", "A")
        .put("quantity", 1)
        .put("unitPrice", "15000.00");

    assertThat(validate(request).total()).isEqualTo(Money.of("15000", "KRW"));
  }

  @Test
  void treatsABlankOptionalSecondAddressLineAsAbsent() {
    ObjectNode request = validRequest();
    ((ObjectNode) request.get("shippingAddress")).put("line2", " ");

    assertThat(validate(request).shippingAddress().line2()).isNull();
  }

  static Stream<Arguments> invalidRequests() {
    return Stream.of(
        bad("missing customerId", r -> r.remove("customerId"), "customerId"),
        bad("blank customerId", r -> r.put("customerId", "  "), "customerId"),
        bad("customerId not a string", r -> r.put("customerId", 42), "customerId"),
        bad("bad e-mail", r -> r.put("customerEmail", "jiwoo.example.com"), "customerEmail"),
        bad(
            "e-mail without domain dot",
            r -> r.put("customerEmail", "jiwoo@example"),
            "customerEmail"),
        bad("unknown locale", r -> r.put("locale", "fr"), "locale"),
        bad("upper-case locale", r -> r.put("locale", "EN"), "locale"),
        bad("unknown currency", r -> r.put("currency", "ABC"), "currency"),
        bad("lower-case currency", r -> r.put("currency", "eur"), "currency"),
        bad("currency without minor unit", r -> r.put("currency", "XXX"), "currency"),
        bad("missing items", r -> r.remove("items"), "items"),
        bad("empty items", r -> r.putArray("items"), "items"),
        bad("items not an array", r -> r.put("items", "MUG-1"), "items"),
        bad(
            "line not an object",
            r -> items(r).set(0, JSON.getNodeFactory().textNode("x")),
            "items[0]"),
        bad("missing sku", r -> line(r, 0).remove("sku"), "items[0].sku"),
        bad("zero quantity", r -> line(r, 1).put("quantity", 0), "items[1].quantity"),
        bad("negative quantity", r -> line(r, 0).put("quantity", -3), "items[0].quantity"),
        bad("fractional quantity", r -> line(r, 0).put("quantity", 1.5), "items[0].quantity"),
        bad("quantity as a string", r -> line(r, 0).put("quantity", "2"), "items[0].quantity"),
        bad("quantity too large", r -> line(r, 0).put("quantity", 1001), "items[0].quantity"),
        bad("quantity beyond int", r -> line(r, 0).put("quantity", 1L << 40), "items[0].quantity"),
        bad("missing price", r -> line(r, 0).remove("unitPrice"), "items[0].unitPrice"),
        bad("zero price", r -> line(r, 0).put("unitPrice", 0), "items[0].unitPrice"),
        bad(
            "negative price",
            r -> line(r, 0).put("unitPrice", new BigDecimal("-1.00")),
            "items[0].unitPrice"),
        bad(
            "negative price string",
            r -> line(r, 0).put("unitPrice", "-1.00"),
            "items[0].unitPrice"),
        bad("price not a number", r -> line(r, 0).put("unitPrice", "twelve"), "items[0].unitPrice"),
        bad(
            "price with exponent string",
            r -> line(r, 0).put("unitPrice", "1e3"),
            "items[0].unitPrice"),
        bad(
            "price too large",
            r -> line(r, 0).put("unitPrice", "1000000.01"),
            "items[0].unitPrice"),
        bad(
            "too many decimals for EUR",
            r -> line(r, 0).put("unitPrice", "12.505"),
            "items[0].unitPrice"),
        bad(
            "decimals for KRW",
            r -> r.put("currency", "KRW"),
            "items[0].unitPrice",
            "items[1].unitPrice"),
        bad("too many lines", OrderRequestValidatorTest::tooManyLines, "items"),
        bad("total too large", OrderRequestValidatorTest::totalTooLarge, "items"),
        bad("missing address", r -> r.remove("shippingAddress"), "shippingAddress"),
        bad("missing recipient", r -> address(r).remove("name"), "shippingAddress.name"),
        bad(
            "missing postal code",
            r -> address(r).putNull("postalCode"),
            "shippingAddress.postalCode"),
        bad("unknown country", r -> address(r).put("country", "XX"), "shippingAddress.country"),
        bad("alpha-3 country", r -> address(r).put("country", "KOR"), "shippingAddress.country"),
        bad("lower-case country", r -> address(r).put("country", "kr"), "shippingAddress.country"),
        bad(
            "line1 too long",
            r -> address(r).put("line1", "x".repeat(201)),
            "shippingAddress.line1"),
        bad(
            "control characters",
            r -> address(r).put("city", "Seoul\u0000"),
            "shippingAddress.city"),
        bad("missing payment method", r -> r.remove("paymentMethod"), "paymentMethod"),
        bad("missing token", r -> payment(r).remove("token"), "paymentMethod.token"),
        bad("unknown top-level field", r -> r.put("coupon", "FREE"), "coupon"),
        bad("unknown line field", r -> line(r, 1).put("colour", "red"), "items[1].colour"),
        bad("unknown address field", r -> address(r).put("state", "X"), "shippingAddress.state"),
        bad("unknown payment field", r -> payment(r).put("cvc", "123"), "paymentMethod.cvc"),
        bad(
            "several problems at once",
            r -> {
              r.remove("customerId");
              r.put("customerEmail", "nope");
              line(r, 0).put("quantity", 0);
              address(r).put("country", "ZZ");
            },
            "customerId",
            "customerEmail",
            "items[0].quantity",
            "shippingAddress.country"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalidRequests")
  void refusesAndNamesEachBadField(
      String description, Consumer<ObjectNode> change, List<String> expectedFields) {
    ObjectNode request = validRequest();
    change.accept(request);

    assertThat(fieldsOf(request)).containsExactlyInAnyOrderElementsOf(expectedFields);
  }

  @Test
  void explainsTheCurrencyScaleInItsMessage() {
    ObjectNode request = validRequest();
    line(request, 0).put("unitPrice", "12.505");

    assertThat(errorsOf(bytes(request)))
        .containsExactly(
            new FieldError("items[0].unitPrice", "has more decimal places than EUR allows (2)"));
  }

  @Test
  void tellsWrongTypesAndUnknownFieldsAlongsideEveryOtherProblem() {
    ObjectNode request = validRequest();
    request.put("customerId", 42);
    request.put("customerEmail", "nope");
    request.put("coupon", "FREE");
    line(request, 0).put("quantity", "2");
    line(request, 1).put("unitPrice", "1e3");
    address(request).putArray("city");

    assertThat(errorsOf(bytes(request)))
        .containsExactlyInAnyOrder(
            new FieldError("customerId", "must be a string"),
            new FieldError(
                "customerEmail",
                "must be an e-mail address such as name@example.com (no display name, quotes or"
                    + " address literal)"),
            new FieldError("coupon", "is not a known field"),
            new FieldError("items[0].quantity", "must be a whole number"),
            new FieldError(
                "items[1].unitPrice",
                "must be a decimal number such as 12.50 (a JSON number or string)"),
            new FieldError("shippingAddress.city", "must be a string"));
  }

  @Test
  void namesAMissingFieldAsRequiredAndABlankOneAsBlank() {
    ObjectNode request = validRequest();
    request.remove("currency");
    address(request).put("city", " ");

    assertThat(errorsOf(bytes(request)))
        .containsExactlyInAnyOrder(
            new FieldError("currency", "is required"),
            new FieldError("shippingAddress.city", "must not be blank"));
  }

  @Test
  void refusesBodiesThatAreNotAJsonObject() {
    assertThat(errorsOf(new byte[0])).extracting(FieldError::field).containsExactly("body");
    assertThat(errorsOf("[]".getBytes(StandardCharsets.UTF_8)))
        .containsExactly(new FieldError("body", "must be a JSON object"));
    assertThat(errorsOf("{\"customerId\": ".getBytes(StandardCharsets.UTF_8)))
        .singleElement()
        .satisfies(
            error -> {
              assertThat(error.field()).isEqualTo("body");
              assertThat(error.message()).startsWith("is not valid JSON at line 1");
            });
  }

  @Test
  void refusesDuplicateKeysAndTrailingContent() {
    String valid = validRequest().toString();
    String duplicate = "{\"customerId\":\"a\"," + valid.substring(1);
    String trailing = valid + " {}";

    assertThat(errorsOf(duplicate.getBytes(StandardCharsets.UTF_8)))
        .extracting(FieldError::field)
        .containsExactly("body");
    assertThat(errorsOf(trailing.getBytes(StandardCharsets.UTF_8)))
        .extracting(FieldError::field)
        .containsExactly("body");
  }

  private static Arguments bad(String description, Consumer<ObjectNode> change, String... fields) {
    return Arguments.of(description, change, List.of(fields));
  }

  private static ArrayNode items(ObjectNode request) {
    return (ArrayNode) request.get("items");
  }

  private static ObjectNode line(ObjectNode request, int index) {
    return (ObjectNode) items(request).get(index);
  }

  private static ObjectNode address(ObjectNode request) {
    return (ObjectNode) request.get("shippingAddress");
  }

  private static ObjectNode payment(ObjectNode request) {
    return (ObjectNode) request.get("paymentMethod");
  }

  private static void tooManyLines(ObjectNode request) {
    ArrayNode items = request.putArray("items");
    for (int i = 0; i <= OrderRequest.MAX_LINES; i++) {
      items.addObject().put("sku", "SKU-" + i).put("quantity", 1).put("unitPrice", "1.00");
    }
  }

  /** Two lines within every per-line cap that add up to 200,000,000. */
  private static void totalTooLarge(ObjectNode request) {
    ArrayNode items = request.putArray("items");
    items.addObject().put("sku", "GOLD-1").put("quantity", 1000).put("unitPrice", "100000");
    items.addObject().put("sku", "GOLD-2").put("quantity", 1000).put("unitPrice", "100000");
  }
}
