package dev.ordersaga.order.placing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ordersaga.messaging.contracts.LineItem;
import dev.ordersaga.messaging.contracts.Money;
import java.math.BigDecimal;
import java.util.Currency;
import java.util.List;
import org.junit.jupiter.api.Test;

class PricingTest {

  @Test
  void addsLinesExactlyWhereDoublesWouldDrift() {
    // 0.1 * 3 + 0.2 is 0.5000000000000001 in doubles
    List<LineItem> items =
        List.of(
            new LineItem("A", 3, Money.of("0.10", "EUR")),
            new LineItem("B", 1, Money.of("0.20", "EUR")));

    assertThat(Pricing.total(items)).isEqualTo(Money.of("0.50", "EUR"));
  }

  @Test
  void multipliesByQuantityAndKeepsTheScale() {
    List<LineItem> items =
        List.of(
            new LineItem("A", 1000, Money.of("999999.99", "USD")),
            new LineItem("B", 7, Money.of("0.01", "USD")));

    assertThat(Pricing.total(items)).isEqualTo(Money.of("999999990.07", "USD"));
  }

  @Test
  void totalsCurrenciesWithoutMinorUnits() {
    List<LineItem> items = List.of(new LineItem("A", 3, Money.of("15000", "KRW")));

    assertThat(Pricing.total(items)).isEqualTo(Money.of("45000", "KRW"));
  }

  @Test
  void refusesMixedCurrenciesAndNoLines() {
    List<LineItem> mixed =
        List.of(
            new LineItem("A", 1, Money.of("1.00", "EUR")),
            new LineItem("B", 1, Money.of("1.00", "USD")));

    assertThatThrownBy(() -> Pricing.total(mixed)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Pricing.total(List.of())).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void countsOnlySignificantDecimalPlaces() {
    assertThat(Pricing.decimalPlaces(new BigDecimal("12.50"))).isEqualTo(1);
    assertThat(Pricing.decimalPlaces(new BigDecimal("1200"))).isZero();
    assertThat(Pricing.decimalPlaces(new BigDecimal("1E+3"))).isZero();
    assertThat(Pricing.decimalPlaces(new BigDecimal("0.001"))).isEqualTo(3);
  }

  @Test
  void bringsAmountsToTheCurrencyScaleWithoutRounding() {
    assertThat(Pricing.atCurrencyScale(new BigDecimal("12.5"), Currency.getInstance("EUR")))
        .isEqualTo(new BigDecimal("12.50"));
    assertThat(Pricing.atCurrencyScale(new BigDecimal("1000.00"), Currency.getInstance("JPY")))
        .isEqualTo(new BigDecimal("1000"));
    assertThatThrownBy(
            () -> Pricing.atCurrencyScale(new BigDecimal("1.005"), Currency.getInstance("EUR")))
        .isInstanceOf(ArithmeticException.class);
  }
}
