package dev.ordersaga.messaging.contracts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

class MoneyTest {

  @Test
  void anAmountInAThreeLetterCurrency() {
    Money money = Money.of("16.50", "EUR");

    assertThat(money.amount()).isEqualByComparingTo("16.50");
    assertThat(money.currency()).isEqualTo("EUR");
    assertThat(Money.of("0", "KRW").amount()).isEqualByComparingTo(BigDecimal.ZERO);
  }

  @Test
  void refusesACurrencyThatIsNotThreeCapitalLetters() {
    for (String currency : new String[] {null, "", "EU", "EURO", "eur", "E1R", "ÉUR", "EU "}) {
      assertThatThrownBy(() -> Money.of("1.00", currency))
          .as(String.valueOf(currency))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("currency must be an ISO 4217 code");
    }
  }

  @Test
  void refusesANegativeOrMissingAmount() {
    assertThatThrownBy(() -> Money.of("-0.01", "EUR"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("amount must not be negative");
    assertThatThrownBy(() -> new Money(null, "EUR"))
        .isInstanceOf(NullPointerException.class)
        .hasMessageContaining("amount is required");
  }
}
