package dev.ordersaga.saga.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ordersaga.messaging.store.Leases;
import dev.ordersaga.messaging.store.Store;
import dev.ordersaga.messaging.testing.MutableClock;
import dev.ordersaga.messaging.testing.TestStores;
import dev.ordersaga.saga.view.MongoSagaStatusBoard;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import org.bson.Document;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two engines' stuck scans on one store (the embedded one, a clock the test moves): one scans; when
 * it stops renewing its lease (it died), the other takes over within the lease and one renewal (8
 * s) and scans at once.
 */
class StuckScanTakeoverIT {

  private Store store;
  private MutableClock clock;
  private StuckSagaScan first;
  private StuckSagaScan second;

  @BeforeEach
  void twoEngines() {
    store = TestStores.openEmbedded();
    clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    MongoSagaStatusBoard board = new MongoSagaStatusBoard(store.database());
    OpsSettings settings = new OpsSettings(null, null, null, 0, 0, 0, 0, 0, null, null);
    first = scan(board, settings, "one");
    second = scan(board, settings, "two");
    // a saga whose deadline fell an hour ago
    store
        .database()
        .getCollection(MongoSagaStatusBoard.COLLECTION)
        .insertOne(
            new Document("_id", "order-1")
                .append("state", "AWAITING_PAYMENT")
                .append("deadlineAt", Date.from(clock.instant().minus(Duration.ofHours(1)))));
  }

  private StuckSagaScan scan(MongoSagaStatusBoard board, OpsSettings settings, String engine) {
    return new StuckSagaScan(
        board,
        settings,
        clock,
        new Leases(store.database(), clock, engine),
        new SimpleMeterRegistry());
  }

  @AfterEach
  void close() {
    second.stop();
    store.close();
  }

  @Test
  void whenTheScanningEngineDiesAnotherScansWithinEightSeconds() {
    // the scans, driven here one round at a time
    assertThat(first.work().runOnce()).isTrue();
    assertThat(second.work().runOnce()).isFalse();
    assertThat(first.stuck()).isEqualTo(1);
    assertThat(second.stuck()).as("the other engine leaves the scan to the holder").isZero();

    // both renew every 2 s; the holder keeps the lease
    for (int i = 0; i < 5; i++) {
      clock.advance(StuckSagaScan.RENEW_EVERY);
      assertThat(first.work().renewLease()).isFalse();
      assertThat(second.work().renewLease()).as("not taken over").isFalse();
    }
    assertThat(first.stuck()).isEqualTo(1);
    assertThat(second.stuck()).isZero();

    // the first engine dies: it renews nothing more; the second runs on its own thread from now on,
    // its next scan 15 s away: once the lease ran out, its renewal takes it over and scans at once
    second.start();
    clock.advance(StuckSagaScan.LEASE);
    await().atMost(StuckSagaScan.RENEW_EVERY.plusSeconds(3)).until(() -> second.stuck() == 1);
    assertThat(second.work().holdsLease()).isTrue();
    assertThat(first.work().runOnce())
        .as("the first engine, back, finds the lease taken")
        .isFalse();
    assertThat(first.stuck()).isZero();
  }
}
