package dev.ordersaga.shipping.carrier;

import java.util.Collection;
import java.util.Collections;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The countries a carrier delivers to, as ISO 3166 alpha-2 codes: the served countries (every code
 * of {@link Locale#getISOCountries()} when none are given) minus the excluded ones. Codes are
 * compared without regard to case or surrounding blanks.
 */
public final class ServiceArea {

  private static final Set<String> ISO_COUNTRIES = Set.of(Locale.getISOCountries());

  private final Set<String> countries;

  private ServiceArea(Set<String> countries) {
    this.countries = Collections.unmodifiableSet(countries);
  }

  /**
   * @param served the codes delivered to; empty for every ISO 3166 country
   * @param excluded codes never delivered to, even when listed in {@code served}
   * @throws IllegalArgumentException when a code is not an ISO 3166 alpha-2 code
   */
  public static ServiceArea of(Collection<String> served, Collection<String> excluded) {
    Set<String> countries =
        served.isEmpty() ? new TreeSet<>(ISO_COUNTRIES) : isoCodes(served, "served-countries");
    countries.removeAll(isoCodes(excluded, "excluded-countries"));
    return new ServiceArea(countries);
  }

  /** The codes delivered to, in alphabetical order. */
  public Set<String> countries() {
    return countries;
  }

  /**
   * Why the carrier will not deliver to a country, or empty when it will.
   *
   * @param country the country of an address, expected as an ISO 3166 alpha-2 code
   */
  public Optional<String> refusal(String country) {
    String code = normalize(country);
    if (!ISO_COUNTRIES.contains(code)) {
      return Optional.of("country '" + country + "' is not an ISO 3166 alpha-2 code");
    }
    if (!countries.contains(code)) {
      return Optional.of("does not deliver to " + code + " (" + displayName(code) + ")");
    }
    return Optional.empty();
  }

  /** A country code as stored and compared: trimmed, upper case. */
  public static String normalize(String country) {
    return country == null ? "" : country.strip().toUpperCase(Locale.ROOT);
  }

  private static Set<String> isoCodes(Collection<String> codes, String setting) {
    Set<String> result = new TreeSet<>();
    for (String code : codes) {
      String normalized = normalize(code);
      if (!ISO_COUNTRIES.contains(normalized)) {
        throw new IllegalArgumentException(
            setting
                + ": '"
                + code
                + "' is not an ISO 3166 alpha-2 code (see java.util.Locale.getISOCountries())");
      }
      result.add(normalized);
    }
    return result;
  }

  private static String displayName(String code) {
    return new Locale.Builder().setRegion(code).build().getDisplayCountry(Locale.ENGLISH);
  }
}
