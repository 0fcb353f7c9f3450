package dev.ordersaga.saga.analytics;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.Optional;

/** A time bucket of an aggregate, aligned to UTC: whole hours or whole days. */
public enum Bucket {
  HOUR(ChronoUnit.HOURS, Duration.ofHours(24)),
  DAY(ChronoUnit.DAYS, Duration.ofDays(30));

  private final ChronoUnit unit;
  private final Duration defaultSpan;

  Bucket(ChronoUnit unit, Duration defaultSpan) {
    this.unit = unit;
    this.defaultSpan = defaultSpan;
  }

  /** The start of the bucket holding {@code instant}. */
  public Instant start(Instant instant) {
    return instant.truncatedTo(unit);
  }

  public Instant next(Instant start) {
    return start.plus(1, unit);
  }

  /** How far back {@code from} lies from {@code to} when it is not given. */
  public Duration defaultSpan() {
    return defaultSpan;
  }

  /** How many buckets cover {@code [from, to)}. */
  public long count(Instant from, Instant to) {
    if (!from.isBefore(to)) {
      return 0;
    }
    return unit.between(start(from), start(to.minusNanos(1))) + 1;
  }

  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Optional<Bucket> named(String name) {
    for (Bucket bucket : values()) {
      if (bucket.wire().equals(name)) {
        return Optional.of(bucket);
      }
    }
    return Optional.empty();
  }
}
