package dev.ordersaga.order.shopper;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;

/**
 * Reads the {@code wait} preference from {@code Prefer} request headers (RFC 7240): {@code Prefer:
 * wait=10}, possibly among other preferences ({@code Prefer: respond-async, wait=10}), with
 * parameters, over several header lines. As the RFC asks, only the first {@code wait} counts, and
 * one that is not delta-seconds (digits only: {@code wait=soon}, {@code wait=-1}, {@code wait=},
 * {@code wait="10"}) is ignored rather than refused; other preferences are ignored. A value too
 * large for a {@code long} is taken as {@link Long#MAX_VALUE} (RFC 9111 does the same for
 * delta-seconds); the caller caps it.
 */
final class PreferWait {

  static final String HEADER = "Prefer";
  static final String APPLIED_HEADER = "Preference-Applied";

  private static final String WAIT = "wait";

  private PreferWait() {}

  /** The seconds asked for by the first {@code wait} preference, if it is well formed. */
  static OptionalLong seconds(List<String> headerValues) {
    for (String header : headerValues) {
      for (String preference : split(header, ',')) {
        String nameAndValue = split(preference, ';').get(0);
        int equals = nameAndValue.indexOf('=');
        String name = (equals < 0 ? nameAndValue : nameAndValue.substring(0, equals)).trim();
        if (name.toLowerCase(Locale.ROOT).equals(WAIT)) {
          return equals < 0
              ? OptionalLong.empty()
              : deltaSeconds(nameAndValue.substring(equals + 1));
        }
      }
    }
    return OptionalLong.empty();
  }

  private static OptionalLong deltaSeconds(String value) {
    String digits = value.trim();
    if (digits.isEmpty() || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
      return OptionalLong.empty();
    }
    try {
      return OptionalLong.of(Long.parseLong(digits));
    } catch (NumberFormatException tooLarge) {
      return OptionalLong.of(Long.MAX_VALUE);
    }
  }

  /**
   * Splits at the separator where it is not inside a quoted string (with its backslash escapes).
   */
  private static List<String> split(String text, char separator) {
    List<String> parts = new ArrayList<>();
    StringBuilder part = new StringBuilder();
    boolean quoted = false;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (quoted && c == '\\' && i + 1 < text.length()) {
        part.append(c).append(text.charAt(++i));
        continue;
      }
      if (c == '"') {
        quoted = !quoted;
      } else if (c == separator && !quoted) {
        parts.add(part.toString());
        part.setLength(0);
        continue;
      }
      part.append(c);
    }
    parts.add(part.toString());
    return parts;
  }
}
