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
    if (!isCurrencyCode(currency)) {
      throw new IllegalArgumentException("currency must be an ISO 4217 code, was " + currency);
    }
  }

  /** Three capital letters A-Z (checked in a loop: every message with an amount makes one). */
  private static boolean isCurrencyCode(String currency) {
    if (currency == null || currency.length() != 3) {
      return false;
    }
    for (int i = 0; i < 3; i++) {
      char c = currency.charAt(i);
      if (c < 'A' || c > 'Z') {
        return false;
      }
    }
    return true;
  }

  public static Money of(String amount, String currency) {
    return new Money(new BigDecimal(amount), currency);
  }
}
