package dev.ordersaga.saga.ops;

import dev.ordersaga.messaging.web.BadRequestException;
import dev.ordersaga.messaging.web.InvalidCursorException;
import dev.ordersaga.messaging.web.RequestValues;
import dev.ordersaga.messaging.web.SignedCursors;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.springframework.util.MultiValueMap;

/**
 * A listing's query parameters, read strictly: an unknown parameter, one given twice, or an empty
 * one is refused, naming it.
 */
final class QueryParams {

  static final int MAX_TEXT = 200;

  private final MultiValueMap<String, String> params;

  QueryParams(MultiValueMap<String, String> params, Set<String> known) {
    this.params = params;
    for (String name : params.keySet()) {
      if (!known.contains(name)) {
        throw new BadRequestException(
            name, "unknown query parameter; known ones: " + new TreeSet<>(known));
      }
    }
  }

  Optional<String> text(String name) {
    List<String> values = params.get(name);
    if (values == null || values.isEmpty()) {
      return Optional.empty();
    }
    if (values.size() > 1) {
      throw new BadRequestException(name, "is given more than once");
    }
    return Optional.of(checkText(name, values.get(0)));
  }

  /** A page size: {@code fallback} when absent, else 1 to {@code max}. */
  int limit(String name, int fallback, int max) {
    return text(name).map(value -> parseInt(name, value, 1, max)).orElse(fallback);
  }

  Optional<Boolean> bool(String name) {
    return text(name)
        .map(
            value ->
                switch (value) {
                  case "true" -> true;
                  case "false" -> false;
                  default -> throw new BadRequestException(name, "must be true or false");
                });
  }

  /**
   * The values of the {@code cursor} parameter, if given: a {@link SignedCursors} cursor this API
   * issued for the same listing and query, else a 400 naming {@code cursor}.
   */
  Optional<List<String>> cursor(SignedCursors cursors, String listing, String query) {
    return text(InvalidCursorException.PARAMETER)
        .map(
            cursor -> {
              try {
                return cursors.open(cursor, listing, query);
              } catch (InvalidCursorException e) {
                throw new BadRequestException(InvalidCursorException.PARAMETER, e.getMessage());
              }
            });
  }

  Optional<Instant> instant(String name) {
    return text(name).map(value -> parseInstant(name, value));
  }

  static String checkText(String field, String value) {
    if (value == null || value.isBlank()) {
      throw new BadRequestException(field, "must not be empty");
    }
    if (value.length() > MAX_TEXT) {
      throw new BadRequestException(field, "is longer than " + MAX_TEXT + " characters");
    }
    if (value.chars().anyMatch(Character::isISOControl)) {
      throw new BadRequestException(field, "must not contain control characters");
    }
    return value;
  }

  static int parseInt(String field, String value, int min, int max) {
    int parsed;
    try {
      parsed = Integer.parseInt(value);
    } catch (NumberFormatException e) {
      throw new BadRequestException(field, "must be a whole number");
    }
    return checkRange(field, parsed, min, max);
  }

  static int checkRange(String field, int value, int min, int max) {
    if (value < min || value > max) {
      throw new BadRequestException(field, "must be from " + min + " to " + max);
    }
    return value;
  }

  /** An ISO-8601 instant from year 1 to year 9999 ({@link RequestValues#instant}). */
  static Instant parseInstant(String field, String value) {
    try {
      return RequestValues.instant(value);
    } catch (IllegalArgumentException e) {
      throw new BadRequestException(field, e.getMessage());
    }
  }
}
