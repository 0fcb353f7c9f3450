package dev.ordersaga.messaging.work;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ordersaga.messaging.store.Leases;
import dev.ordersaga.messaging.store.Store;
import dev.ordersaga.messaging.testing.MutableClock;
import dev.ordersaga.messaging.testing.TestStores;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Two instances of a leased work on one store (the real embedded one). */
class PeriodicWorkLeaseIT {

  private static final String KEY = "test.leased-job";

  private Store store;
  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  private PeriodicWork first;
  private PeriodicWork second;

  @BeforeEach
  void open() {
    store = TestStores.openEmbedded();
  }

  @AfterEach
  void close() {
    for (PeriodicWork work : new PeriodicWork[] {first, second}) {
      if (work != null) {
        work.stop();
      }
    }
    store.close();
  }

  @Test
  void onlyTheHolderRunsAndAnotherTakesOverOnceTheHolderStopsRenewing() {
    MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    AtomicInteger firstRounds = new AtomicInteger();
    AtomicInteger secondRounds = new AtomicInteger();
    AtomicInteger secondStandingBy = new AtomicInteger();
    first = leased(clock, "one", firstRounds, new AtomicInteger(), Duration.ofSeconds(6));
    second = leased(clock, "two", secondRounds, secondStandingBy, Duration.ofSeconds(6));

    assertThat(first.runOnce()).isTrue();
    assertThat(second.runOnce()).as("the other instance leaves the round to the holder").isFalse();
    assertThat(secondStandingBy).hasValue(1);

    // both renew every 2 s, the lease lasts 6 s: the holder keeps it
    for (int i = 0; i < 5; i++) {
      clock.advance(Duration.ofSeconds(2));
      assertThat(first.renewLease()).as("renewed, not taken").isFalse();
      assertThat(second.renewLease()).isFalse();
      first.runOnce();
      second.runOnce();
    }
    assertThat(firstRounds).hasValue(6);
    assertThat(secondRounds).hasValue(0);

    // the first instance dies: it renews no more; the second takes the lease once it ran out
    Duration waited = Duration.ZERO;
    boolean takenOver = false;
    while (!takenOver && waited.compareTo(Duration.ofSeconds(30)) < 0) {
      clock.advance(Duration.ofSeconds(2));
      waited = waited.plusSeconds(2);
      takenOver = second.renewLease();
    }
    assertThat(takenOver).isTrue();
    assertThat(waited)
        .as("within the lease and one renewal")
        .isLessThanOrEqualTo(Duration.ofSeconds(8));
    assertThat(second.holdsLease()).isTrue();
    assertThat(second.runOnce()).isTrue();
    assertThat(first.runOnce()).as("the old holder, back, finds the lease taken").isFalse();
  }

  @Test
  void onTheRealClockTheInstanceThatTakesTheLeaseOverRunsARoundAtOnce() {
    Clock clock = Clock.systemUTC();
    AtomicInteger firstRounds = new AtomicInteger();
    AtomicInteger secondRounds = new AtomicInteger();
    // rounds an hour apart: every round seen here is a nudge, by the start of the lease
    first = leased(clock, "one", firstRounds, new AtomicInteger(), Duration.ofMillis(600));
    first.start();
    await().atMost(Duration.ofSeconds(5)).until(() -> firstRounds.get() == 1);
    assertThat(first.holdsLease()).isTrue();

    second = leased(clock, "two", secondRounds, new AtomicInteger(), Duration.ofMillis(600));
    second.start();
    await()
        .during(Duration.ofMillis(500))
        .atMost(Duration.ofSeconds(5))
        .until(() -> secondRounds.get() == 0 && !second.holdsLease());

    // the holder dies (its lease stays in the store): the second takes over when it runs out
    first.abandon();
    await().atMost(Duration.ofSeconds(5)).until(() -> secondRounds.get() == 1);
    assertThat(second.holdsLease()).isTrue();
    assertThat(firstRounds).hasValue(1);
  }

  @Test
  void anOrderlyStopGivesTheLeaseUp() {
    MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    first = leased(clock, "one", new AtomicInteger(), new AtomicInteger(), Duration.ofSeconds(6));
    second = leased(clock, "two", new AtomicInteger(), new AtomicInteger(), Duration.ofSeconds(6));
    first.start();
    assertThat(first.runOnce()).isTrue();
    assertThat(second.runOnce()).isFalse();

    first.stop();
    assertThat(second.renewLease()).as("at once, no wait for the lease to run out").isTrue();
  }

  /**
   * A work whose rounds are an hour apart (so each round in a test is one it drove, or a nudge),
   * under a lease of {@code lease} renewed every third of it.
   */
  private PeriodicWork leased(
      Clock clock, String holder, AtomicInteger rounds, AtomicInteger standingBy, Duration lease) {
    Leases leases = new Leases(store.database(), clock, holder);
    return PeriodicWork.named("leased-job-" + holder, meters)
        .every(Duration.ofHours(1))
        .underLease(leases, KEY, lease, lease.dividedBy(3), standingBy::incrementAndGet)
        .build(rounds::incrementAndGet);
  }
}
