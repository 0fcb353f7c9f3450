package dev.ordersaga.saga.canary;

import static dev.ordersaga.saga.SampleOrders.placed;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ordersaga.messaging.Envelope;
import dev.ordersaga.messaging.Message;
import dev.ordersaga.messaging.MessageIds;
import dev.ordersaga.messaging.contracts.Money;
import dev.ordersaga.messaging.contracts.order.OrderApproved;
import dev.ordersaga.messaging.contracts.order.OrderRejected;
import dev.ordersaga.messaging.contracts.order.RejectionReason;
import dev.ordersaga.messaging.contracts.payment.PaymentAuthorized;
import dev.ordersaga.messaging.contracts.shipping.ShipmentScheduled;
import dev.ordersaga.messaging.rabbit.ConfirmingPublisher;
import dev.ordersaga.messaging.store.Store;
import dev.ordersaga.messaging.testing.RabbitExtension;
import dev.ordersaga.messaging.testing.TestMessages;
import dev.ordersaga.messaging.testing.TestRabbit;
import dev.ordersaga.messaging.testing.TestStores;
import dev.ordersaga.saga.SagaSettings;
import dev.ordersaga.saga.SagaStatus;
import dev.ordersaga.saga.journal.SagaJournal;
import dev.ordersaga.saga.runtime.SagaEngineConfiguration;
import dev.ordersaga.saga.runtime.SagaRecord;
import dev.ordersaga.saga.runtime.SagaRecords;
import dev.ordersaga.saga.runtime.SagaRuntime;
import dev.ordersaga.saga.runtime.SagaVersions;
import dev.ordersaga.saga.runtime.TestSagaRuntimes;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The canary over the real broker and store: 10% of new orders go to v2; when v2 declines more
 * orders than v1 it is rolled back automatically within its window, and when it behaves equally it
 * is kept. The test answers as every participant, straight into the engine.
 */
@ExtendWith(RabbitExtension.class)
class CanaryIT {

  /** Above v2's amount limit: v1 charges it, v2 declines it. */
  private static final Money LARGE = Money.of("800.00", "EUR");

  /** Below it: v2 decides as v1. */
  private static final Money SMALL = Money.of("30.00", "EUR");

  private static final Duration WINDOW = Duration.ofMinutes(5);
  private static final int MIN_SAMPLE = 4;
  private static final int MAX_ORDERS = 400;

  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  private final List<AutoCloseable> closing = new ArrayList<>();
  private final List<Canary.Change> changes = new CopyOnWriteArrayList<>();

  private Store store;
  private SagaRecords records;
  private SagaRuntime engine;
  private Canary canary;

  @BeforeEach
  void setUp(TestRabbit rabbit) {
    store = TestStores.open();
    records = new SagaRecords(store.database());
    SagaJournal journal = TestSagaRuntimes.journal(store);
    ConfirmingPublisher publisher =
        TestSagaRuntimes.publisher(
            rabbit.connection(), rabbit.topology(), Duration.ofSeconds(5), "saga-engine");
    closing.add(publisher);
    SagaVersions versions =
        SagaVersions.orderSaga(SagaVersions.V1, SagaEngineConfiguration.sagaJson());
    canary =
        new Canary(
            versions,
            store.database(),
            Clock.systemUTC(),
            new CanarySettings(null, 0, WINDOW, MIN_SAMPLE, 0.2, null),
            meters,
            () -> List.of(changes::add));
    versions.routeBy(canary);
    versions.observeBy(canary);
    engine =
        TestSagaRuntimes.versioned(
            records,
            store,
            journal,
            publisher,
            meters,
            new SagaSettings(Duration.ofSeconds(30), Duration.ofSeconds(60), 3),
            versions);
    closing.add(engine);
  }

  @AfterEach
  void tearDown() throws Exception {
    for (AutoCloseable c : closing) {
      c.close();
    }
    store.close();
  }

  @Test
  void aCanaryAtTenPercentThatDeclinesMoreOrdersIsRolledBackWithinItsWindow() {
    Canary.Split started = canary.set(SagaVersions.V2, 10, "ops-lead", "release v2");
    List<String> all = new ArrayList<>();
    List<String> onV2 = new ArrayList<>();
    while (canary.split().state() == Canary.State.ACTIVE && all.size() < MAX_ORDERS) {
      String orderId = UUID.randomUUID().toString();
      drive(orderId, LARGE);
      all.add(orderId);
      if (records.find(orderId).orElseThrow().versionName().equals(SagaVersions.V2)) {
        onV2.add(orderId);
      }
    }

    Canary.Split now = canary.split();
    assertThat(now.state()).isEqualTo(Canary.State.ROLLED_BACK);
    assertThat(now.changedAt()).isBefore(started.changedAt().plus(WINDOW));
    assertThat(now.changedBy()).isEqualTo("saga-engine");
    assertThat(onV2.size()).isGreaterThanOrEqualTo(MIN_SAMPLE);
    assertThat(now.reason())
        .startsWith("failure rate of v2 100.0% (" + onV2.size() + " of " + onV2.size() + ")")
        .contains("against v1 0.0% (0 of " + (all.size() - onV2.size()) + ")");
    // the orders in the tenth of buckets below 10 went to v2, the others to v1
    assertThat(onV2).isEqualTo(all.stream().filter(id -> Canary.bucket(id) < 10).toList());
    assertThat(meters.counter("saga.canary.rollbacks", "candidate", "v2").count()).isEqualTo(1);
    assertThat(changes).hasSize(2);
    assertThat(changes.get(1).automatic()).isTrue();
    assertThat(changes.get(1).after().state()).isEqualTo(Canary.State.ROLLED_BACK);
    // stored: another engine (or this one restarted) reads the rollback
    assertThat(newCanaryOnTheSameStore().split().state()).isEqualTo(Canary.State.ROLLED_BACK);

    // new orders that v2 would have taken start on v1 now
    String wouldBeCanary = idInBucketBelow(10);
    drive(wouldBeCanary, LARGE);
    SagaRecord record = records.find(wouldBeCanary).orElseThrow();
    assertThat(record.versionName()).isEqualTo(SagaVersions.V1);
    assertThat(record.status().state().name()).isEqualTo("COMPLETED");
  }

  @Test
  void aCanaryThatBehavesEquallyIsKept() {
    canary.set(SagaVersions.V2, 10, "ops-lead", "release v2");
    int orders = 0;
    while (canary.view().candidateOutcomes().ended() < MIN_SAMPLE * 2 && orders < MAX_ORDERS) {
      drive(UUID.randomUUID().toString(), SMALL);
      orders++;
    }

    Canary.View view = canary.view();
    assertThat(view.candidateOutcomes().ended()).isEqualTo(MIN_SAMPLE * 2);
    assertThat(view.stableOutcomes().ended()).isGreaterThanOrEqualTo(MIN_SAMPLE);
    assertThat(view.candidateOutcomes().failureRate()).isZero();
    assertThat(view.split().state()).isEqualTo(Canary.State.ACTIVE);
    assertThat(view.effectivePercent()).isEqualTo(10);
    assertThat(view.verdict()).startsWith("kept");
    assertThat(changes).hasSize(1);
    String canaryOrder = idInBucketBelow(10);
    drive(canaryOrder, SMALL);
    assertThat(records.find(canaryOrder).orElseThrow().versionName()).isEqualTo(SagaVersions.V2);
  }

  /** Places an order and answers every command the saga sends until it reaches an outcome. */
  private void drive(String orderId, Money total) {
    engine.handle(TestMessages.envelope(placed(orderId, total)));
    for (int replies = 0; replies < 10; replies++) {
      SagaRecord record = records.find(orderId).orElseThrow();
      SagaStatus status = record.status();
      if (!record.active() || status.state().isTerminal()) {
        return;
      }
      Message reply =
          switch (status.step()) {
            case AUTHORIZE_PAYMENT -> new PaymentAuthorized(orderId, "pay-" + orderId, total);
            case SCHEDULE_SHIPMENT -> new ShipmentScheduled(orderId, "shp-" + orderId, "CJ", "1");
            case APPROVE_ORDER -> new OrderApproved(orderId);
            case REJECT_ORDER ->
                new OrderRejected(orderId, RejectionReason.valueOf(status.reason()));
            default -> throw new IllegalStateException("no answer for " + status.step());
          };
      engine.handle(
          Envelope.of(
              UUID.randomUUID().toString(),
              MessageIds.forStep(orderId, status.step().name(), status.attempt()),
              Instant.now(),
              Map.of(),
              reply));
    }
    throw new IllegalStateException("saga " + orderId + " reached no outcome");
  }

  private Canary newCanaryOnTheSameStore() {
    return new Canary(
        SagaVersions.orderSaga(SagaVersions.V1, SagaEngineConfiguration.sagaJson()),
        store.database(),
        Clock.systemUTC(),
        new CanarySettings(null, 0, WINDOW, MIN_SAMPLE, 0.2, null),
        new SimpleMeterRegistry(),
        List::of);
  }

  private static String idInBucketBelow(int percent) {
    while (true) {
      String id = UUID.randomUUID().toString();
      if (Canary.bucket(id) < percent) {
        return id;
      }
    }
  }
}
