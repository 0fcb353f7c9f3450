package dev.ordersaga.messaging.web;

import dev.ordersaga.messaging.web.Problems.FieldProblem;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * A request's query parameters, read strictly, the one way of every HTTP API: a parameter the
 * endpoint does not know (all of them named at once), a single value given twice, an empty value, a
 * value longer than {@value #MAX_VALUE_LENGTH} characters, with a control character or broken
 * Unicode, or of the wrong shape is a {@link BadRequestException} naming the parameter ({@code
 * errors: [{field, message}]}). Values come out as plain typed Java values, never as anything a
 * store could read as an operator.
 */
public final class QueryParameters {

  /** Longest value taken for any parameter. */
  public static final int MAX_VALUE_LENGTH = 1000;

  /** Most values taken for a parameter that may be repeated. */
  public static final int MAX_VALUES = 100;

  private final Map<String, List<String>> values;

  private QueryParameters(Map<String, List<String>> values) {
    this.values = values;
  }

  /** Reads the parameters, refusing every name not in {@code allowed} (all named at once). */
  public static QueryParameters of(Map<String, List<String>> values, Set<String> allowed) {
    Set<String> unknown = new TreeSet<>(values.keySet());
    unknown.removeAll(allowed);
    if (!unknown.isEmpty()) {
      Set<String> known = new TreeSet<>(allowed);
      List<FieldProblem> errors = new ArrayList<>();
      for (String name : unknown) {
        errors.add(
            new FieldProblem(
                LogSafe.text(name), "is not a parameter of this endpoint; known: " + known));
      }
      throw new BadRequestException(errors);
    }
    for (Map.Entry<String, List<String>> entry : values.entrySet()) {
      for (String value : entry.getValue()) {
        if (value != null) {
          checkText(entry.getKey(), value, MAX_VALUE_LENGTH);
        }
      }
    }
    return new QueryParameters(values);
  }

  /** The one value of a parameter, if given. */
  public Optional<String> text(String name) {
    List<String> given = values.getOrDefault(name, List.of());
    if (given.isEmpty() || given.get(0) == null) {
      return Optional.empty();
    }
    if (given.size() > 1) {
      throw new BadRequestException(name, "is given " + given.size() + " times; give it once");
    }
    return Optional.of(given.get(0));
  }

  /** The one value of a parameter that must be given. */
  public String required(String name) {
    return text(name).orElseThrow(() -> new BadRequestException(name, "is required"));
  }

  /** Every value of a parameter that may be repeated or comma-separated, in the order given. */
  public Set<String> list(String name, boolean commaSeparated) {
    Set<String> found = new LinkedHashSet<>();
    for (String value : values.getOrDefault(name, List.of())) {
      if (value == null) {
        continue;
      }
      for (String part : commaSeparated ? value.split(",", -1) : new String[] {value}) {
        if (part.isBlank()) {
          throw new BadRequestException(name, "has an empty value");
        }
        found.add(part.trim());
      }
    }
    if (found.size() > MAX_VALUES) {
      throw new BadRequestException(name, "takes at most " + MAX_VALUES + " values");
    }
    return found;
  }

  /** A whole number from {@code min} to {@code max}; {@code otherwise} when not given. */
  public int integer(String name, int otherwise, int min, int max) {
    Optional<String> given = text(name);
    if (given.isEmpty()) {
      return otherwise;
    }
    int value;
    try {
      value = Integer.parseInt(given.get());
    } catch (NumberFormatException e) {
      throw new BadRequestException(name, "must be a whole number");
    }
    return checkRange(name, value, min, max);
  }

  /** {@code true} or {@code false}, if given. */
  public Optional<Boolean> bool(String name) {
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
   * An ISO-8601 instant such as {@code 2026-05-01T00:00:00Z} or {@code ...T09:00:00+09:00}, from
   * year 1 to year 9999 ({@link RequestValues#instant}), if given.
   */
  public Optional<Instant> instant(String name) {
    return text(name).map(value -> instant(name, value));
  }

  /**
   * The values of the {@code cursor} parameter, if given: a {@link SignedCursors} cursor this API
   * issued for the same listing and query, else a 400 naming {@code cursor}.
   */
  public Optional<List<String>> cursor(SignedCursors cursors, String listing, String query) {
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

  /**
   * A text value of a request (a query parameter or a body field): not blank, at most {@code
   * maxLength} characters, no control characters, valid Unicode; else a 400 naming {@code field}.
   */
  public static String checkText(String field, String value, int maxLength) {
    if (value == null || value.isBlank()) {
      throw new BadRequestException(field, "must not be empty");
    }
    if (value.length() > maxLength) {
      throw new BadRequestException(field, "is longer than " + maxLength + " characters");
    }
    if (value.chars().anyMatch(Character::isISOControl)) {
      throw new BadRequestException(field, "must not contain control characters");
    }
    RequestValues.unicodeProblem(value)
        .ifPresent(
            problem -> {
              throw new BadRequestException(field, problem);
            });
    return value;
  }

  /** {@code value} when it is from {@code min} to {@code max}, else a 400 naming {@code field}. */
  public static int checkRange(String field, int value, int min, int max) {
    if (value < min || value > max) {
      throw new BadRequestException(field, "must be from " + min + " to " + max);
    }
    return value;
  }

  /** An ISO-8601 instant from year 1 to year 9999, else a 400 naming {@code field}. */
  public static Instant instant(String field, String value) {
    try {
      return RequestValues.instant(value);
    } catch (IllegalArgumentException e) {
      throw new BadRequestException(field, e.getMessage() + ", was '" + LogSafe.text(value) + "'");
    }
  }
}
