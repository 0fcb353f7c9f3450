package dev.ordersaga.order.placing;

import dev.ordersaga.messaging.contracts.LineItem;
import dev.ordersaga.messaging.contracts.Money;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Currency;
import java.util.List;

/** Exact money arithmetic for orders: {@link BigDecimal} only, nothing ever rounded. */
public final class Pricing {

  private Pricing() {}

  /**
   * Decimal places an amount really has: {@code 12.50} has 1, {@code 1200} has 0.
   *
   * @return the count, never negative
   */
  public static int decimalPlaces(BigDecimal amount) {
    return Math.max(0, amount.stripTrailingZeros().scale());
  }

  /**
   * The amount at the currency's minor-unit scale ({@code 12.5} EUR becomes {@code 12.50}).
   *
   * @throws ArithmeticException when that would need rounding
   */
  public static BigDecimal atCurrencyScale(BigDecimal amount, Currency currency) {
    return amount.setScale(currency.getDefaultFractionDigits(), RoundingMode.UNNECESSARY);
  }

  /**
   * The sum of unit price times quantity over the lines, in their one currency, at the scale of the
   * unit prices.
   *
   * @throws IllegalArgumentException when there are no lines or they mix currencies
   */
  public static Money total(List<LineItem> items) {
    if (items.isEmpty()) {
      throw new IllegalArgumentException("an order needs at least one line");
    }
    String currency = items.get(0).unitPrice().currency();
    BigDecimal total = BigDecimal.ZERO;
    int scale = 0;
    for (LineItem item : items) {
      Money unitPrice = item.unitPrice();
      if (!unitPrice.currency().equals(currency)) {
        throw new IllegalArgumentException(
            "lines mix currencies " + currency + " and " + unitPrice.currency());
      }
      total = total.add(unitPrice.amount().multiply(BigDecimal.valueOf(item.quantity())));
      scale = Math.max(scale, unitPrice.amount().scale());
    }
    return new Money(total.setScale(scale, RoundingMode.UNNECESSARY), currency);
  }
}
