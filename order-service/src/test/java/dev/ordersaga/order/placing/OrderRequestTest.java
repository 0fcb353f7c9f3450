package dev.ordersaga.order.placing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ordersaga.messaging.web.Problems.FieldProblem;
import dev.ordersaga.messaging.web.ValidatedBodies;
import dev.ordersaga.order.placing.OrderRequest.Line;
import dev.ordersaga.order.placing.OrderRequest.PaymentMethod;
import dev.ordersaga.order.placing.OrderRequest.ShippingAddress;
import jakarta.validation.Validation;
import jakarta.validation.Validator;
import jakarta.validation.ValidatorFactory;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The constraints on {@link OrderRequest}, one rule at a time, by a plain Bean Validation. */
class OrderRequestTest {

  private static final ValidatorFactory FACTORY = Validation.buildDefaultValidatorFactory();
  private static final Validator VALIDATOR = FACTORY.getValidator();

  @AfterAll
  static void close() {
    FACTORY.close();
  }

  private static Line line(String sku, long quantity, String unitPrice) {
    return new Line(sku, BigInteger.valueOf(quantity), new BigDecimal(unitPrice));
  }

  private static ShippingAddress address() {
    return new ShippingAddress("Jiwoo Kim", "12 Sejong-daero", null, "Seoul", "04524", "KR");
  }

  private static OrderRequest order(String currency, List<Line> items) {
    return new OrderRequest(
        "c-42",
        "jiwoo@example.com",
        "ko",
        currency,
        items,
        address(),
        new PaymentMethod("tok_visa_4242"));
  }

  private static OrderRequest valid() {
    return order("EUR", List.of(line("MUG-1", 2, "12.50"), line("TEA-7", 3, "0.10")));
  }

  private static List<FieldProblem> problems(OrderRequest request) {
    return ValidatedBodies.problems(VALIDATOR.validate(request));
  }

  private static OrderRequest withCustomer(String id, String email, String locale) {
    OrderRequest v = valid();
    return new OrderRequest(
        id, email, locale, v.currency(), v.items(), v.shippingAddress(), v.paymentMethod());
  }

  private static OrderRequest withLine(Line line) {
    return order("EUR", List.of(line));
  }

  private static OrderRequest withAddress(ShippingAddress address) {
    OrderRequest v = valid();
    return new OrderRequest(
        v.customerId(),
        v.customerEmail(),
        v.locale(),
        v.currency(),
        v.items(),
        address,
        v.paymentMethod());
  }

  private static OrderRequest withToken(String token) {
    OrderRequest v = valid();
    return new OrderRequest(
        v.customerId(),
        v.customerEmail(),
        v.locale(),
        v.currency(),
        v.items(),
        v.shippingAddress(),
        new PaymentMethod(token));
  }

  @Test
  void takesAValidRequest() {
    assertThat(VALIDATOR.validate(valid())).isEmpty();
  }

  static Stream<Arguments> rules() {
    List<Line> lines = new ArrayList<>();
    for (int i = 0; i <= OrderRequest.MAX_LINES; i++) {
      lines.add(line("SKU-" + i, 1, "1.00"));
    }
    return Stream.of(
        rule(withCustomer(null, "a@example.com", "ko"), "customerId", "is required"),
        rule(withCustomer(" ", "a@example.com", "ko"), "customerId", "must not be blank"),
        rule(
            withCustomer("x".repeat(101), "a@example.com", "ko"),
            "customerId",
            "must be at most 100 characters"),
        rule(
            withCustomer("c\u0001", "a@example.com", "ko"),
            "customerId",
            "must not contain control characters"),
        rule(
            withCustomer("c-42", "minji@example", "ko"),
            "customerEmail",
            "must be an e-mail address such as name@example.com (no display name, quotes or"
                + " address literal)"),
        rule(
            withCustomer("c-42", "\"\"@example.com", "ko"),
            "customerEmail",
            "must be an e-mail address such as name@example.com (no display name, quotes or"
                + " address literal)"),
        rule(withCustomer("c-42", null, "ko"), "customerEmail", "is required"),
        rule(withCustomer("c-42", "a@example.com", "fr"), "locale", "must be one of ko, en"),
        rule(withCustomer("c-42", "a@example.com", "EN"), "locale", "must be one of ko, en"),
        rule(
            order("eur", List.of(line("A", 1, "1"))),
            "currency",
            "must be an ISO 4217 currency code such as EUR, USD or KRW"),
        rule(
            order("ABC", List.of(line("A", 1, "1"))),
            "currency",
            "must be an ISO 4217 currency code such as EUR, USD or KRW"),
        rule(
            order("XAU", List.of(line("A", 1, "1"))),
            "currency",
            "XAU is not a currency orders can be paid in"),
        rule(order("EUR", null), "items", "is required"),
        rule(order("EUR", List.of()), "items", "must have 1 to 100 lines"),
        rule(order("EUR", lines), "items", "must have 1 to 100 lines"),
        rule(order("EUR", Arrays.asList(line("A", 1, "1"), null)), "items[1]", "is required"),
        rule(withLine(line(" ", 1, "1")), "items[0].sku", "must not be blank"),
        rule(withLine(line("A", 0, "1")), "items[0].quantity", "must be at least 1"),
        rule(withLine(line("A", 1001, "1")), "items[0].quantity", "must be at most 1000"),
        rule(withLine(new Line("A", BigInteger.ONE, null)), "items[0].unitPrice", "is required"),
        rule(withLine(line("A", 1, "0.00")), "items[0].unitPrice", "must be greater than 0"),
        rule(withLine(line("A", 1, "-1")), "items[0].unitPrice", "must be greater than 0"),
        rule(withLine(line("A", 1, "1000000.01")), "items[0].unitPrice", "must be at most 1000000"),
        rule(
            withLine(line("A", 1, "12.505")),
            "items[0].unitPrice",
            "has more decimal places than EUR allows (2)"),
        rule(
            order("KRW", List.of(line("A", 1, "1000.5"))),
            "items[0].unitPrice",
            "has more decimal places than KRW allows (0)"),
        rule(
            order("EUR", List.of(line("G-1", 1000, "60000"), line("G-2", 1000, "60000.5"))),
            "items",
            "add up to 120000500.00 EUR, more than the maximum order total of 100000000"),
        rule(withAddress(null), "shippingAddress", "is required"),
        rule(
            withAddress(new ShippingAddress(null, "l1", null, "Seoul", "04524", "KR")),
            "shippingAddress.name",
            "is required"),
        rule(
            withAddress(new ShippingAddress("n", "x".repeat(201), null, "Seoul", "04524", "KR")),
            "shippingAddress.line1",
            "must be at most 200 characters"),
        rule(
            withAddress(new ShippingAddress("n", "l1", "a\u0085b", "Seoul", "04524", "KR")),
            "shippingAddress.line2",
            "must not contain control characters"),
        rule(
            withAddress(new ShippingAddress("n", "l1", null, "Seoul", "0".repeat(21), "KR")),
            "shippingAddress.postalCode",
            "must be at most 20 characters"),
        rule(
            withAddress(new ShippingAddress("n", "l1", null, "Seoul", "04524", "KOR")),
            "shippingAddress.country",
            "must be an ISO 3166-1 alpha-2 country code such as KR or DE"),
        rule(
            withAddress(new ShippingAddress("n", "l1", null, "Seoul", "04524", "kr")),
            "shippingAddress.country",
            "must be an ISO 3166-1 alpha-2 country code such as KR or DE"),
        rule(withToken(null), "paymentMethod.token", "is required"),
        rule(withToken("t".repeat(256)), "paymentMethod.token", "must be at most 255 characters"));
  }

  @ParameterizedTest(name = "{1}: {2}")
  @MethodSource("rules")
  void refusesEachRuleNamingTheJsonPath(OrderRequest request, String field, String message) {
    assertThat(problems(request)).containsExactly(new FieldProblem(field, message));
  }

  @Test
  void aMissingFieldIsToldOnlyAsRequired() {
    // @NotBlank fails on null too: the missing field gets "is required" alone
    assertThat(problems(withToken(null))).hasSize(1);
    assertThat(VALIDATOR.validate(withToken(null))).hasSize(2);
  }

  @Test
  void takesTheShoppersOwnCustomerIdOnlyWhenNoneIsGiven() {
    OrderRequest none = withCustomer(null, "a@example.com", "ko");

    assertThat(none.withCustomerIdIfAbsent("c-77").customerId()).isEqualTo("c-77");
    assertThat(valid().withCustomerIdIfAbsent("c-77").customerId()).isEqualTo("c-42");
    assertThat(none.withCustomerIdIfAbsent(null).customerId()).isNull();
  }

  @Test
  void leavesThePriceChecksAgainstTheCurrencyToAnInvalidCurrency() {
    // XXX has no minor unit: the prices are not judged against it, only the currency is named
    assertThat(problems(order("XXX", List.of(line("A", 1, "12.505")))))
        .extracting(FieldProblem::field)
        .containsExactly("currency");
  }

  private static Arguments rule(OrderRequest request, String field, String message) {
    return Arguments.of(request, field, message);
  }
}
