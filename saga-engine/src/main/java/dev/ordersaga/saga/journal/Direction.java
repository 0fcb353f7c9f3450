package dev.ordersaga.saga.journal;

import java.util.Locale;
import java.util.Optional;

/** Which way a journaled message went: {@code in} to the saga, {@code out} from it. */
public enum Direction {
  IN,
  OUT;

  /** As the journal writes it: {@code in} or {@code out}. */
  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Optional<Direction> fromWire(String value) {
    for (Direction direction : values()) {
      if (direction.wire().equals(value)) {
        return Optional.of(direction);
      }
    }
    return Optional.empty();
  }
}
