package dev.ordersaga.shipping.carrier;

import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the simulated carrier, under {@code shipping.carrier.*}. Invalid values stop the
 * application at start with the setting named.
 *
 * @param name the carrier's name in replies and the shipments listing
 * @param servedCountries ISO 3166 alpha-2 codes delivered to; empty (the default) for every code of
 *     {@code Locale.getISOCountries()}
 * @param excludedCountries codes refused even when served (default {@code AQ}); set it empty to
 *     refuse none
 * @param latency how long each call to the carrier takes
 * @param transientFailureRate share of calls that fail transiently, from 0 to 1
 * @param randomSeed seed for the failures and tracking numbers, for reproducible runs; unset for a
 *     random one
 */
@ConfigurationProperties("shipping.carrier")
public record CarrierSettings(
    @DefaultValue("simulated") String name,
    @DefaultValue List<String> servedCountries,
    @DefaultValue("AQ") List<String> excludedCountries,
    @DefaultValue("50ms") Duration latency,
    @DefaultValue("0") double transientFailureRate,
    Long randomSeed) {

  public CarrierSettings {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("shipping.carrier.name must not be blank");
    }
    servedCountries = servedCountries == null ? List.of() : List.copyOf(servedCountries);
    excludedCountries = excludedCountries == null ? List.of() : List.copyOf(excludedCountries);
    if (latency == null || latency.isNegative()) {
      throw new IllegalArgumentException(
          "shipping.carrier.latency must not be negative, was " + latency);
    }
    if (!(transientFailureRate >= 0 && transientFailureRate <= 1)) {
      throw new IllegalArgumentException(
          "shipping.carrier.transient-failure-rate must be from 0 to 1, was "
              + transientFailureRate);
    }
    // fails on a code that is not ISO 3166, naming the setting
    ServiceArea.of(servedCountries, excludedCountries);
  }

  /** The countries this configuration delivers to. */
  public ServiceArea serviceArea() {
    return ServiceArea.of(servedCountries, excludedCountries);
  }
}
