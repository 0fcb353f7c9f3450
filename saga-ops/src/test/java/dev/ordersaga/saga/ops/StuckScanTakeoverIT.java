package dev.ordersaga.saga.ops;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ordersaga.messaging.store.Leases;
import dev.ordersaga.messaging.store.Store;
import dev.ordersaga.messaging.testing.MutableClock;
import dev.ordersaga.messaging.testing.TestStores;
import dev.ordersaga.saga.view.MongoSagaStatusBoard;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import org.bson.Document;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two engines' stuck scans on one store (the embedded one, a clock the test moves): one scans; when
 * it stops renewing its lease (it died), the other takes over within 10 s and scans at once.
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
    first = new StuckSagaScan(board, settings, clock, new Leases(store.database(), clock, "one"));
    second = new StuckSagaScan(board, settings, clock, new Leases(store.database(), clock, "two"));
    // a saga whose deadline fell an hour ago
    store
        .database()
        .getCollection(MongoSagaStatusBoard.COLLECTION)
        .insertOne(
            new Document("_id", "order-1")
                .append("state", "AWAITING_PAYMENT")
                .append("deadlineAt", Date.from(clock.instant().minus(Duration.ofHours(1)))));
  }

  @AfterEach
  void close() {
    store.close();
  }

  @Test
  void whenTheScanningEngineDiesAnotherScansWithinTenSeconds() {
    first.scan();
    second.scan();
    assertThat(first.stuck()).isEqualTo(1);
    assertThat(second.stuck()).as("the other engine leaves the scan to the holder").isZero();

    // both renew every 2 s; the holder keeps the lease
    for (int i = 0; i < 5; i++) {
      clock.advance(Duration.ofSeconds(2));
      first.holdLease();
      second.holdLease();
    }
    assertThat(first.stuck()).isEqualTo(1);
    assertThat(second.stuck()).isZero();

    // the first engine dies: it renews nothing more; the second takes over on a renewal round
    Duration waited = Duration.ZERO;
    while (second.stuck() == 0 && waited.compareTo(Duration.ofSeconds(30)) < 0) {
      clock.advance(Duration.ofSeconds(2));
      waited = waited.plusSeconds(2);
      second.holdLease();
    }
    assertThat(second.stuck())
        .as("the stuck saga, found by the engine that took over")
        .isEqualTo(1);
    assertThat(waited).isLessThanOrEqualTo(Duration.ofSeconds(10));
  }
}
