package dev.ordersaga.order.placing;

import java.util.Optional;

/**
 * The {@code Idempotency-Key} header of {@code POST /orders}: 1 to {@value #MAX_LENGTH} visible
 * ASCII characters (a UUID is a good choice). A key stays bound to the order it placed for as long
 * as the order is kept.
 */
public final class IdempotencyKeys {

  public static final String HEADER = "Idempotency-Key";
  public static final int MAX_LENGTH = 255;

  private IdempotencyKeys() {}

  /** What is wrong with a key the shopper sent, if anything; a missing key is fine. */
  public static Optional<FieldError> problem(String key) {
    if (key == null) {
      return Optional.empty();
    }
    if (key.isEmpty()) {
      return Optional.of(new FieldError(HEADER, "must not be empty when sent"));
    }
    if (key.length() > MAX_LENGTH) {
      return Optional.of(new FieldError(HEADER, "must be at most " + MAX_LENGTH + " characters"));
    }
    if (!key.chars().allMatch(c -> c >= 0x21 && c <= 0x7e)) {
      return Optional.of(
          new FieldError(HEADER, "must be visible ASCII characters only (no spaces)"));
    }
    return Optional.empty();
  }
}
