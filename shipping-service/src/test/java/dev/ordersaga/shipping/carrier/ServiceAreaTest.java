package dev.ordersaga.shipping.carrier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class ServiceAreaTest {

  private final ServiceArea byDefault = ServiceArea.of(List.of(), List.of("AQ"));

  @Test
  void servesEveryIsoCountryButAntarcticaByDefault() {
    Set<String> expected = new TreeSet<>(List.of(Locale.getISOCountries()));
    expected.remove("AQ");

    assertThat(byDefault.countries()).containsExactlyElementsOf(expected);
    assertThat(byDefault.refusal("KR")).isEmpty();
    assertThat(byDefault.refusal("US")).isEmpty();
  }

  @Test
  void refusesAntarcticaNamingIt() {
    assertThat(byDefault.refusal("AQ"))
        .hasValueSatisfying(why -> assertThat(why).contains("AQ").contains("Antarctica"));
  }

  @Test
  void readsCodesWithoutRegardToCaseOrBlanks() {
    assertThat(byDefault.refusal(" kr ")).isEmpty();
    assertThat(byDefault.refusal("aq")).isPresent();
  }

  @Test
  void refusesWhatIsNotAnIsoCode() {
    assertThat(byDefault.refusal("Korea"))
        .hasValueSatisfying(why -> assertThat(why).contains("'Korea'").contains("ISO 3166"));
    assertThat(byDefault.refusal("UK")).isPresent();
    assertThat(byDefault.refusal("")).isPresent();
  }

  @Test
  void servesOnlyTheListedCountriesWhenSomeAreListed() {
    ServiceArea area = ServiceArea.of(List.of("KR", "jp"), List.of());

    assertThat(area.countries()).containsExactly("JP", "KR");
    assertThat(area.refusal("JP")).isEmpty();
    assertThat(area.refusal("US"))
        .hasValueSatisfying(why -> assertThat(why).contains("US").contains("United States"));
  }

  @Test
  void anExclusionWinsOverAServedCountry() {
    ServiceArea area = ServiceArea.of(List.of("KR", "AQ"), List.of("AQ"));

    assertThat(area.countries()).containsExactly("KR");
    assertThat(area.refusal("AQ")).isPresent();
  }

  @Test
  void withNothingExcludedAntarcticaIsServed() {
    assertThat(ServiceArea.of(List.of(), List.of()).refusal("AQ")).isEmpty();
  }

  @Test
  void rejectsAConfiguredCodeThatIsNotIso() {
    assertThatThrownBy(() -> ServiceArea.of(List.of("KR", "UK"), List.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("served-countries")
        .hasMessageContaining("'UK'");
    assertThatThrownBy(() -> ServiceArea.of(List.of(), List.of("Antarctica")))
        .hasMessageContaining("excluded-countries")
        .hasMessageContaining("'Antarctica'");
  }
}
