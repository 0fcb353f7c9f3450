package dev.ordersaga.compose;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ordersaga.messaging.store.Store;
import dev.ordersaga.messaging.store.StoreScans;
import dev.ordersaga.notifier.NotifierApplication;
import dev.ordersaga.order.OrderServiceApplication;
import dev.ordersaga.payment.PaymentServiceApplication;
import dev.ordersaga.saga.SagaEngineApplication;
import dev.ordersaga.shipping.ShippingServiceApplication;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The hot-path rule (DESIGN.md): every store access on the way of a saga is by {@code _id} or by a
 * unique key in a flat filter, never a scan. All five apps run (the launcher, in this JVM) on the
 * embedded file stores, which record how each query was served; orders of every kind go through
 * (paid and shipped, declined, undeliverable and refunded, cancelled); then no store may have
 * scanned any collection but its pending-work ones, which hold only work not yet done (their scans
 * cost O(pending)). The off-path stuck scan is set not to run during the test.
 */
class HotPathScansIT {

  /** The collections each app may scan: its pending work, and nothing else. */
  private static final Map<String, Set<String>> PENDING_WORK =
      Map.of(
          SagaEngineApplication.NAME, Set.of("saga_timers"),
          OrderServiceApplication.NAME, Set.of("orders_outbox_markers"),
          PaymentServiceApplication.NAME, Set.of(),
          ShippingServiceApplication.NAME, Set.of(),
          NotifierApplication.NAME, Set.of("notice_work"));

  private static final String PASSWORD = "hot-path-shopper";

  @TempDir static Path data;

  private static InProcessSystem system;
  private static ShopperClient shopper;

  @BeforeAll
  static void startSystem() {
    Map<String, String> settings = new HashMap<>();
    settings.put("payment.provider.latency", "0ms");
    settings.put("shipping.carrier.latency", "0ms");
    settings.put("saga.ops.stuck-scan-interval", "1h");
    settings.putAll(Launcher.shopperAccount(0, "hana", PASSWORD));
    system = InProcessSystem.start(data, settings);
    shopper = new ShopperClient(system.port(OrderServiceApplication.NAME), "hana", PASSWORD);
  }

  @AfterAll
  static void stopSystem() throws Exception {
    if (system != null) {
      system.close();
    }
  }

  @Test
  void sagasOfEveryKindScanNothingButPendingWork() throws Exception {
    placeAndFinish(4); // first indexes and collections are made: not what is measured
    for (String app : PENDING_WORK.keySet()) {
      store(app).scans().reset();
    }

    placeAndFinish(12);

    for (Map.Entry<String, Set<String>> app : PENDING_WORK.entrySet()) {
      StoreScans scans = store(app.getKey()).scans();
      assertThat(scans.scannedCollections())
          .as("%s scanned; its queries: %s", app.getKey(), scans)
          .isSubsetOf(app.getValue());
    }
    assertThat(store(SagaEngineApplication.NAME).scans().snapshot())
        .as("the saga engine's queries were recorded")
        .isNotEmpty();
  }

  /** Places orders of every kind, {@code rounds} of each, and waits until all are final. */
  private static void placeAndFinish(int rounds) throws Exception {
    List<String> orders = new ArrayList<>();
    for (int i = 0; i < rounds; i++) {
      orders.add(place("KR", "pm_card_visa"));
      orders.add(place("KR", "pm_card_chargeDeclined"));
      orders.add(place("AQ", "pm_card_visa"));
      String cancelled = place("KR", "pm_card_visa");
      shopper.cancel(cancelled);
      orders.add(cancelled);
    }
    for (String orderId : orders) {
      assertThat(shopper.awaitFinal(orderId, Duration.ofSeconds(60)).path("status").asText())
          .as("order %s", orderId)
          .isIn(ShopperClient.FINAL);
    }
  }

  private static String place(String country, String token) throws Exception {
    return shopper.place(
        ShopperClient.order("hana", "en", country, token), UUID.randomUUID().toString());
  }

  private static Store store(String app) {
    return system.launcher.bean(app, Store.class);
  }
}
