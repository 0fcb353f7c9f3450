package dev.ordersaga.messaging.work;

import java.time.Clock;
import java.time.Instant;
import java.util.List;

/**
 * The shape of a relay round, written once: read the pending entries that are due (at most a batch,
 * longest waiting first, from where pending work is kept apart so that reading it costs O(pending),
 * never O(history): see DESIGN.md, the hot-path rule), hand each over (send it, or send it again,
 * and mark it done), and end the round at the first one the other side did not take: the broker or
 * the mail server is away, so a round during an outage costs one attempt, and the next round tries
 * again. Run it as a {@link PeriodicWork}'s job.
 *
 * <p>The outbox relay (order-service: an order's unconfirmed outbox messages) and the notice sweep
 * (notifier: notices not yet accepted by the mail server) are relays.
 *
 * @param <T> a pending entry as its store gives it
 */
public final class Relay<T> {

  /** Where pending entries are read. */
  @FunctionalInterface
  public interface Pending<T> {
    /** At most {@code limit} entries due at {@code now}, longest waiting first. */
    List<T> due(Instant now, int limit);
  }

  /** What is done with each due entry. */
  @FunctionalInterface
  public interface Delivery<T> {
    /**
     * Sends (or sends again) the entry and marks it done, or leaves it due again later.
     *
     * @param now when the round began
     * @return false when the other side did not take it: the round ends here
     */
    boolean deliver(T entry, Instant now);
  }

  private final Clock clock;
  private final int batchSize;
  private final Pending<T> pending;
  private final Delivery<T> delivery;

  /**
   * @param batchSize the most entries one round reads; 1 or more
   */
  public Relay(Clock clock, int batchSize, Pending<T> pending, Delivery<T> delivery) {
    if (batchSize < 1) {
      throw new IllegalArgumentException(
          "a relay's batch size must be 1 or more, was " + batchSize);
    }
    this.clock = clock;
    this.batchSize = batchSize;
    this.pending = pending;
    this.delivery = delivery;
  }

  /**
   * One round.
   *
   * @return how many entries were handed over before the round ended
   */
  public int round() {
    Instant now = clock.instant();
    int delivered = 0;
    for (T entry : pending.due(now, batchSize)) {
      if (!delivery.deliver(entry, now)) {
        break;
      }
      delivered++;
    }
    return delivered;
  }
}
