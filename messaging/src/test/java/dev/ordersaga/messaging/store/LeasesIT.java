package dev.ordersaga.messaging.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ordersaga.messaging.testing.MutableClock;
import dev.ordersaga.messaging.testing.TestStores;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Leases of periodic jobs between instances, on the real embedded store. */
class LeasesIT {

  private static final Duration TTL = Duration.ofSeconds(5);

  private Store store;
  private MutableClock clock;

  @BeforeEach
  void open() {
    store = TestStores.openEmbedded();
    clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
  }

  @AfterEach
  void close() {
    store.close();
  }

  @Test
  void oneInstanceHoldsALeaseUntilItRunsOutThenAnotherTakesItOver() {
    Leases first = new Leases(store.database(), clock, "first");
    Leases second = new Leases(store.database(), clock, "second");

    assertThat(first.acquire("relay", TTL)).isTrue();
    assertThat(second.acquire("relay", TTL)).isFalse();
    clock.advance(Duration.ofSeconds(3));
    assertThat(first.acquire("relay", TTL)).as("the holder renews").isTrue();
    clock.advance(Duration.ofSeconds(4));
    assertThat(second.acquire("relay", TTL)).as("renewed 4 s ago for 5 s").isFalse();

    // the first instance dies: it renews no more
    clock.advance(Duration.ofSeconds(1));
    assertThat(second.acquire("relay", TTL)).isTrue();
    assertThat(first.acquire("relay", TTL)).isFalse();
  }

  @Test
  void jobsAreLeasedEachOnItsOwn() {
    Leases first = new Leases(store.database(), clock, "first");
    Leases second = new Leases(store.database(), clock, "second");

    assertThat(first.acquire("relay", TTL)).isTrue();
    assertThat(second.acquire("scan", TTL)).isTrue();
    assertThat(first.acquire("scan", TTL)).isFalse();
    assertThat(second.acquire("relay", TTL)).isFalse();
  }

  @Test
  void aReleasedLeaseIsFreeAtOnce() {
    Leases first = new Leases(store.database(), clock, "first");
    Leases second = new Leases(store.database(), clock, "second");
    first.acquire("relay", TTL);

    first.release("relay");

    assertThat(second.acquire("relay", TTL)).isTrue();
    second.release("relay");
    first.release("relay"); // not its own: nothing happens
    assertThat(new Leases(store.database(), clock, "third").acquire("relay", TTL)).isTrue();
  }

  @Test
  void ofInstancesRacingForAFreeLeaseExactlyOneWinsAndNothingIsScanned() throws Exception {
    int instances = 8;
    for (int round = 0; round < 20; round++) {
      String job = "job-" + round;
      if (round % 2 == 1) {
        // a lease run out: the race is between compare-and-sets, not inserts
        new Leases(store.database(), clock, "dead").acquire(job, Duration.ofMillis(1));
        clock.advance(Duration.ofMillis(2));
      }
      store.scans().reset();
      List<Callable<Boolean>> racers = new ArrayList<>();
      for (int i = 0; i < instances; i++) {
        Leases leases = new Leases(store.database(), clock, "instance-" + i);
        racers.add(() -> leases.acquire(job, TTL));
      }
      ExecutorService pool = Executors.newFixedThreadPool(instances);
      try {
        long winners = 0;
        for (Future<Boolean> won : pool.invokeAll(racers)) {
          winners += won.get() ? 1 : 0;
        }
        assertThat(winners).as("round %d", round).isEqualTo(1);
      } finally {
        pool.shutdownNow();
      }
      assertThat(store.scans().scannedCollections())
          .as("%s", store.scans())
          .doesNotContain(Leases.COLLECTION);
    }
  }
}
