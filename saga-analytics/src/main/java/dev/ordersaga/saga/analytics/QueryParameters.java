package dev.ordersaga.saga.analytics;

import dev.ordersaga.messaging.web.BadRequestException;
import dev.ordersaga.messaging.web.LogSafe;
import dev.ordersaga.messaging.web.Problems.FieldProblem;
import dev.ordersaga.messaging.web.RequestValues;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * A request's query parameters, read strictly: a parameter the endpoint does not know, a single
 * value given twice, a value of the wrong shape are each an {@code BadRequestException} naming the
 * parameter. Values come out as plain typed Java values, never as anything a store could read as an
 * operator.
 */
final class QueryParameters {

  /** Longest value taken for any parameter. */
  static final int MAX_VALUE_LENGTH = 1000;

  /** Most values taken for a parameter that may be repeated. */
  static final int MAX_VALUES = 100;

  private final Map<String, List<String>> values;

  private QueryParameters(Map<String, List<String>> values) {
    this.values = values;
  }

  /** Reads the parameters, refusing every name not in {@code allowed} (all named at once). */
  static QueryParameters of(Map<String, List<String>> values, Set<String> allowed) {
    Set<String> unknown = new TreeSet<>(values.keySet());
    unknown.removeAll(allowed);
    if (!unknown.isEmpty()) {
      Set<String> known = new TreeSet<>(allowed);
      List<FieldProblem> errors = new ArrayList<>();
      for (String name : unknown) {
        errors.add(new FieldProblem(name, "is not a parameter of this endpoint; known: " + known));
      }
      throw new BadRequestException(errors);
    }
    for (Map.Entry<String, List<String>> entry : values.entrySet()) {
      for (String value : entry.getValue()) {
        if (value != null && value.length() > MAX_VALUE_LENGTH) {
          throw new BadRequestException(
              entry.getKey(), "is longer than " + MAX_VALUE_LENGTH + " characters");
        }
      }
    }
    return new QueryParameters(values);
  }

  /** The one value of a parameter, if given; blank counts as not given. */
  Optional<String> single(String name) {
    List<String> given = values.getOrDefault(name, List.of());
    if (given.size() > 1) {
      throw new BadRequestException(name, "is given " + given.size() + " times; give it once");
    }
    return given.isEmpty() || given.get(0) == null || given.get(0).isBlank()
        ? Optional.empty()
        : Optional.of(given.get(0).trim());
  }

  /** Every value of a parameter that may be repeated or comma-separated, in the order given. */
  Set<String> list(String name, boolean commaSeparated) {
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

  /**
   * An ISO-8601 instant such as {@code 2026-05-01T00:00:00Z} or {@code ...T09:00:00+09:00}, from
   * year 1 to year 9999 ({@link RequestValues#instant}).
   */
  Optional<Instant> instant(String name) {
    return single(name).map(value -> parseInstant(name, value));
  }

  /** A whole number between {@code min} and {@code max}, else {@code otherwise}. */
  int integer(String name, int otherwise, int min, int max) {
    Optional<String> given = single(name);
    if (given.isEmpty()) {
      return otherwise;
    }
    int value;
    try {
      value = Integer.parseInt(given.get());
    } catch (NumberFormatException e) {
      throw new BadRequestException(name, "must be a whole number, was '" + given.get() + "'");
    }
    if (value < min || value > max) {
      throw new BadRequestException(
          name, "must be between " + min + " and " + max + ", was " + value);
    }
    return value;
  }

  private static Instant parseInstant(String name, String value) {
    try {
      return RequestValues.instant(value);
    } catch (IllegalArgumentException e) {
      throw new BadRequestException(name, e.getMessage() + ", was '" + LogSafe.text(value) + "'");
    }
  }
}
