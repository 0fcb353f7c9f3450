package dev.ordersaga.messaging.contracts;

import com.fasterxml.jackson.annotation.JsonFormat;
import java.math.BigDecimal;
import java.util.Objects;

/** An amount in one currency; on the wire the amount is a decimal string, never a float. */
public record Money(
    @JsonFormat(shape = JsonFormat.Shape.STRING) BigDecimal amount, String currency) {

  public Money {
    Objects.requireNonNull(amount, "amount is required");
    if (amount.signum() < 0) {
      throw new IllegalArgumentException("amount must not be negative");
    }
    if (currency == null || !currency.matches("[A-Z]{3}")) {
      throw new IllegalArgumentException("currency must be an ISO 4217 code, was " + currency);
    }
  }

  public static Money of(String amount, String currency) {
    return new Money(new BigDecimal(amount), currency);
  }
}
