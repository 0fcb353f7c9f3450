package dev.ordersaga.messaging.contracts;

import java.util.List;
import java.util.Objects;

/**
 * Checks shared by the contract records' constructors, so a bad message fails where it is decoded.
 */
public final class Contracts {

  private Contracts() {}

  public static String requireText(String value, String field) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(field + " is required");
    }
    return value;
  }

  public static <T> T require(T value, String field) {
    return Objects.requireNonNull(value, field + " is required");
  }

  public static <T> List<T> requireNonEmpty(List<T> values, String field) {
    if (values == null || values.isEmpty()) {
      throw new IllegalArgumentException(field + " must not be empty");
    }
    return List.copyOf(values);
  }
}
