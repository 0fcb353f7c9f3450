package dev.ordersaga.saga.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ordersaga.messaging.store.Store;
import dev.ordersaga.messaging.testing.TestStores;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Claims on the sagas' timers by several engines, on the real embedded store. */
class SagaTimersIT {

  private static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.MILLIS);

  private Store store;
  private SagaTimers timers;

  @BeforeEach
  void open() {
    store = TestStores.openEmbedded();
    timers = new SagaTimers(store.database());
  }

  @AfterEach
  void close() {
    store.close();
  }

  @Test
  void ofEnginesClaimingOneDueTimerExactlyOneGetsItAndNothingIsScannedButTheDueQuery()
      throws Exception {
    int engines = 8;
    for (int round = 0; round < 20; round++) {
      String orderId = "order-" + round;
      timers.put(orderId, NOW.minusSeconds(1));
      SagaTimers.Due due =
          timers.due(NOW, 100).stream()
              .filter(d -> d.orderId().equals(orderId))
              .findFirst()
              .orElseThrow();
      store.scans().reset();
      List<Callable<Boolean>> claims = new ArrayList<>();
      for (int i = 0; i < engines; i++) {
        SagaTimers engine = new SagaTimers(store.database());
        Instant lease = NOW.plusSeconds(5).plusMillis(i);
        claims.add(() -> engine.claim(due, lease));
      }
      ExecutorService pool = Executors.newFixedThreadPool(engines);
      try {
        long won = 0;
        for (Future<Boolean> claim : pool.invokeAll(claims)) {
          won += claim.get() ? 1 : 0;
        }
        assertThat(won).as("round %d", round).isEqualTo(1);
      } finally {
        pool.shutdownNow();
      }
      assertThat(store.scans().scannedCollections())
          .as("%s", store.scans())
          .doesNotContain(SagaTimers.COLLECTION);
    }
  }

  @Test
  void aClaimedTimerIsNotDueUntilItsLeaseEndsThenAnotherEngineTakesIt() {
    timers.put("order-1", NOW.minusSeconds(1));
    SagaTimers.Due due = timers.due(NOW, 10).get(0);
    Instant lease = NOW.plusSeconds(5);
    assertThat(timers.claim(due, lease)).isTrue();

    // the claiming engine dies here
    assertThat(timers.due(NOW.plusSeconds(4), 10)).isEmpty();
    List<SagaTimers.Due> again = timers.due(lease, 10);
    assertThat(again).extracting(SagaTimers.Due::orderId).containsExactly("order-1");
    SagaTimers other = new SagaTimers(store.database());
    assertThat(other.claim(again.get(0), lease.plusSeconds(5))).isTrue();
    assertThat(timers.claim(due, lease.plusSeconds(6))).as("its read is stale").isFalse();
  }

  @Test
  void aTimerSetByAStepAfterTheClaimStandsAgainstTheClaimsMoveAndDrop() {
    timers.put("order-1", NOW.minusSeconds(1));
    Instant lease = NOW.plusSeconds(5);
    timers.claim(timers.due(NOW, 10).get(0), lease);
    Instant setByAStep = NOW.plusSeconds(30);
    timers.put("order-1", setByAStep);

    assertThat(timers.move("order-1", lease, NOW.plusSeconds(60))).isFalse();
    assertThat(timers.delete("order-1", lease)).isFalse();
    assertThat(timers.at("order-1")).contains(setByAStep);

    assertThat(timers.delete("order-1", setByAStep)).isTrue();
    assertThat(timers.pending()).isZero();
  }
}
