package dev.ordersaga.messaging.rabbit;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * How long a failed message waits before it goes back to its queue: exponential from {@code
 * initial}, doubled per failed delivery, capped at {@code max}, with jitter (between half and all
 * of the step) so that messages failing together do not come back together. A short outage of a
 * store or provider is ridden out instead of burning every delivery at once.
 */
public record RedeliveryBackoff(Duration initial, Duration max) {

  public static final RedeliveryBackoff DEFAULT =
      new RedeliveryBackoff(Duration.ofSeconds(1), Duration.ofSeconds(30));

  public RedeliveryBackoff {
    if (initial.isNegative() || max.compareTo(initial) < 0) {
      throw new IllegalArgumentException("need 0 <= initial <= max, got " + initial + ", " + max);
    }
  }

  /** The cap for the wait after failed delivery number {@code failedDelivery} (1 for the first). */
  public Duration ceiling(int failedDelivery) {
    int doublings = Math.min(Math.max(failedDelivery - 1, 0), 30);
    long millis = initial.toMillis() << doublings;
    return millis < 0 || millis > max.toMillis() ? max : Duration.ofMillis(millis);
  }

  /** A jittered wait between half of {@link #ceiling} and all of it. */
  public Duration delayAfter(int failedDelivery) {
    long ceiling = ceiling(failedDelivery).toMillis();
    long half = ceiling / 2;
    return Duration.ofMillis(half + ThreadLocalRandom.current().nextLong(ceiling - half + 1));
  }
}
