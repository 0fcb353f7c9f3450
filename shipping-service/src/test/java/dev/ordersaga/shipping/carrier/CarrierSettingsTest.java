package dev.ordersaga.shipping.carrier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

class CarrierSettingsTest {

  @Test
  void defaultsServeEveryCountryButAntarcticaWithoutFailures() {
    CarrierSettings properties = bind(Map.of());

    assertThat(properties.name()).isEqualTo("simulated");
    assertThat(properties.servedCountries()).isEmpty();
    assertThat(properties.excludedCountries()).containsExactly("AQ");
    assertThat(properties.latency()).isEqualTo(Duration.ofMillis(50));
    assertThat(properties.transientFailureRate()).isZero();
    assertThat(properties.randomSeed()).isNull();
    assertThat(properties.serviceArea().refusal("KR")).isEmpty();
    assertThat(properties.serviceArea().refusal("AQ")).isPresent();
  }

  @Test
  void bindsEverySetting() {
    CarrierSettings properties =
        bind(
            Map.of(
                "shipping.carrier.name", "Parcel Co",
                "shipping.carrier.served-countries", "KR,JP",
                "shipping.carrier.excluded-countries", "JP",
                "shipping.carrier.latency", "2s",
                "shipping.carrier.transient-failure-rate", "0.25",
                "shipping.carrier.random-seed", "42"));

    assertThat(properties.name()).isEqualTo("Parcel Co");
    assertThat(properties.serviceArea().countries()).containsExactly("KR");
    assertThat(properties.latency()).isEqualTo(Duration.ofSeconds(2));
    assertThat(properties.transientFailureRate()).isEqualTo(0.25);
    assertThat(properties.randomSeed()).isEqualTo(42L);
  }

  @Test
  void anEmptyExclusionListExcludesNothing() {
    CarrierSettings properties = bind(Map.of("shipping.carrier.excluded-countries", ""));

    assertThat(properties.excludedCountries()).isEmpty();
    assertThat(properties.serviceArea().refusal("AQ")).isEmpty();
  }

  @Test
  void refusesToStartWithAnUnknownCountryCode() {
    assertThatThrownBy(() -> bind(Map.of("shipping.carrier.served-countries", "KR,UK")))
        .isInstanceOf(BindException.class)
        .rootCause()
        .hasMessageContaining("'UK'");
  }

  @Test
  void refusesToStartWithARateAboveOne() {
    assertThatThrownBy(() -> bind(Map.of("shipping.carrier.transient-failure-rate", "1.5")))
        .isInstanceOf(BindException.class)
        .rootCause()
        .hasMessageContaining("transient-failure-rate");
  }

  private static CarrierSettings bind(Map<String, String> properties) {
    return new Binder(new MapConfigurationPropertySource(properties))
        .bindOrCreate("shipping.carrier", CarrierSettings.class);
  }
}
