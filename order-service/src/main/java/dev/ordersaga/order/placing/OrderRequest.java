package dev.ordersaga.order.placing;

import static dev.ordersaga.messaging.web.ValidatedBodies.NOT_BLANK;
import static dev.ordersaga.messaging.web.ValidatedBodies.REQUIRED;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import dev.ordersaga.messaging.web.EmailAddress;
import dev.ordersaga.messaging.web.PlainText;
import dev.ordersaga.messaging.web.RequestValues;
import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;

/**
 * The body of {@code POST /orders} as the shopper sends it, with its rules as Bean Validation
 * constraints (read and checked by messaging's {@code web/ValidatedBodies}; {@link
 * OrderRequestValidator} turns it into a {@link NewOrder}). Amounts are exact decimals from JSON
 * numbers or plain decimal strings ({@link DecimalAmountDeserializer}); a quantity is a JSON whole
 * number.
 *
 * <p>Limits: 1 to {@value #MAX_LINES} lines, quantities 1 to {@value #MAX_QUANTITY}, unit prices
 * above 0 and at most {@value #MAX_UNIT_PRICE}, and ({@link AmountsFitCurrency}) no more decimal
 * places than the currency has (trailing zeros do not count: {@code 1000.00} KRW is fine, {@code
 * 1000.5} KRW is not) and an order total of at most {@value #MAX_TOTAL}.
 *
 * @param customerId may be left out by a signed-in shopper: the account's is taken
 * @param locale the language of the customer's notices, one of {@value #LOCALES}
 */
@AmountsFitCurrency
public record OrderRequest(
    @NotNull(message = REQUIRED)
        @NotBlank(message = NOT_BLANK)
        @Size(max = MAX_ID_LENGTH, message = TOO_LONG)
        @PlainText
        String customerId,
    @NotNull(message = REQUIRED)
        @NotBlank(message = NOT_BLANK)
        @Size(max = RequestValues.MAX_EMAIL_LENGTH, message = TOO_LONG)
        @EmailAddress
        String customerEmail,
    @NotNull(message = REQUIRED) @Pattern(regexp = LOCALES, message = "must be one of ko, en")
        String locale,
    @NotNull(message = REQUIRED) @CurrencyCode String currency,
    @NotNull(message = REQUIRED)
        @Size(min = 1, max = MAX_LINES, message = "must have {min} to {max} lines")
        List<@NotNull(message = REQUIRED) @Valid Line> items,
    @NotNull(message = REQUIRED) @Valid ShippingAddress shippingAddress,
    @NotNull(message = REQUIRED) @Valid PaymentMethod paymentMethod) {

  public static final int MAX_LINES = 100;
  public static final int MAX_QUANTITY = 1_000;
  public static final String MAX_UNIT_PRICE = "1000000";
  public static final String MAX_TOTAL = "100000000";

  /** The languages the notices are written in, as a pattern. */
  public static final String LOCALES = "ko|en";

  static final int MAX_ID_LENGTH = 100;
  static final int MAX_TEXT_LENGTH = 200;
  static final int MAX_POSTAL_CODE_LENGTH = 20;
  static final int MAX_TOKEN_LENGTH = 255;
  static final String TOO_LONG = "must be at most {max} characters";

  /** This request with {@code customerId} when it names none. */
  OrderRequest withCustomerIdIfAbsent(String ownCustomerId) {
    return customerId != null || ownCustomerId == null
        ? this
        : new OrderRequest(
            ownCustomerId, customerEmail, locale, currency, items, shippingAddress, paymentMethod);
  }

  /** One order line. */
  public record Line(
      @NotNull(message = REQUIRED)
          @NotBlank(message = NOT_BLANK)
          @Size(max = MAX_ID_LENGTH, message = TOO_LONG)
          @PlainText
          String sku,
      @NotNull(message = REQUIRED)
          @Min(value = 1, message = "must be at least {value}")
          @Max(value = MAX_QUANTITY, message = "must be at most {value}")
          BigInteger quantity,
      @NotNull(message = REQUIRED)
          @Positive(message = "must be greater than 0")
          @DecimalMax(value = MAX_UNIT_PRICE, message = "must be at most {value}")
          @JsonDeserialize(using = DecimalAmountDeserializer.class)
          BigDecimal unitPrice) {}

  /** Where the order goes; {@code line2} is optional (blank is taken as absent). */
  public record ShippingAddress(
      @NotNull(message = REQUIRED)
          @NotBlank(message = NOT_BLANK)
          @Size(max = MAX_TEXT_LENGTH, message = TOO_LONG)
          @PlainText
          String name,
      @NotNull(message = REQUIRED)
          @NotBlank(message = NOT_BLANK)
          @Size(max = MAX_TEXT_LENGTH, message = TOO_LONG)
          @PlainText
          String line1,
      @Size(max = MAX_TEXT_LENGTH, message = TOO_LONG) @PlainText String line2,
      @NotNull(message = REQUIRED)
          @NotBlank(message = NOT_BLANK)
          @Size(max = MAX_TEXT_LENGTH, message = TOO_LONG)
          @PlainText
          String city,
      @NotNull(message = REQUIRED)
          @NotBlank(message = NOT_BLANK)
          @Size(max = MAX_POSTAL_CODE_LENGTH, message = TOO_LONG)
          @PlainText
          String postalCode,
      @NotNull(message = REQUIRED) @CountryCode String country) {}

  /** The shopper's payment method as the payment provider knows it. */
  public record PaymentMethod(
      @NotNull(message = REQUIRED)
          @NotBlank(message = NOT_BLANK)
          @Size(max = MAX_TOKEN_LENGTH, message = TOO_LONG)
          @PlainText
          String token) {}
}
