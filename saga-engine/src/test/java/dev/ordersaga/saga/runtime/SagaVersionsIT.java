package dev.ordersaga.saga.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;
import dev.ordersaga.messaging.Envelope;
import dev.ordersaga.messaging.codec.MessageTypes;
import dev.ordersaga.messaging.codec.WireCodec;
import dev.ordersaga.messaging.contracts.Money;
import dev.ordersaga.messaging.contracts.order.ApproveOrder;
import dev.ordersaga.messaging.contracts.order.OrderApproved;
import dev.ordersaga.messaging.contracts.order.OrderChannels;
import dev.ordersaga.messaging.contracts.order.OrderPlaced;
import dev.ordersaga.messaging.contracts.order.OrderRejected;
import dev.ordersaga.messaging.contracts.order.RejectOrder;
import dev.ordersaga.messaging.contracts.order.RejectionReason;
import dev.ordersaga.messaging.contracts.payment.AuthorizePayment;
import dev.ordersaga.messaging.contracts.payment.DeclineReason;
import dev.ordersaga.messaging.contracts.payment.PaymentAuthorized;
import dev.ordersaga.messaging.contracts.payment.PaymentChannels;
import dev.ordersaga.messaging.contracts.payment.PaymentDeclined;
import dev.ordersaga.messaging.contracts.shipping.ScheduleShipment;
import dev.ordersaga.messaging.contracts.shipping.ShipmentScheduled;
import dev.ordersaga.messaging.contracts.shipping.ShippingChannels;
import dev.ordersaga.messaging.rabbit.ConfirmingPublisher;
import dev.ordersaga.messaging.store.Store;
import dev.ordersaga.messaging.testing.QueueProbe;
import dev.ordersaga.messaging.testing.RabbitExtension;
import dev.ordersaga.messaging.testing.TestMessages;
import dev.ordersaga.messaging.testing.TestRabbit;
import dev.ordersaga.messaging.testing.TestStores;
import dev.ordersaga.saga.OrderSaga;
import dev.ordersaga.saga.OrderSagaV2;
import dev.ordersaga.saga.SagaSettings;
import dev.ordersaga.saga.SagaState;
import dev.ordersaga.saga.SampleOrders;
import dev.ordersaga.saga.journal.JournalReader;
import dev.ordersaga.saga.journal.JournalTypes;
import dev.ordersaga.saga.journal.SagaJournal;
import dev.ordersaga.saga.view.MongoSagaStatusBoard;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Two versions of the saga side by side in one engine, over the real broker and store: a saga
 * finishes on the version that started it while new sagas start on another.
 */
@ExtendWith(RabbitExtension.class)
class SagaVersionsIT {

  /** Above v2's amount limit: v1 charges it, v2 declines it before any charge. */
  private static final Money LARGE = Money.of("800.00", "EUR");

  private final ObjectMapper sagaJson = SagaEngineConfiguration.sagaJson();
  private final WireCodec codec = new WireCodec(MessageTypes.orderSaga());
  private final List<AutoCloseable> closing = new ArrayList<>();

  private TestRabbit rabbit;
  private Store store;
  private SagaJournal journal;
  private QueueProbe payments;
  private QueueProbe shipping;
  private QueueProbe orders;

  @BeforeEach
  void setUp(TestRabbit rabbit) {
    this.rabbit = rabbit;
    store = TestStores.open();
    journal = TestSagaRuntimes.journal(store);
    payments = probe(PaymentChannels.COMMAND_QUEUE);
    shipping = probe(ShippingChannels.COMMAND_QUEUE);
    orders = probe(OrderChannels.COMMAND_QUEUE);
  }

  @AfterEach
  void tearDown() throws Exception {
    for (AutoCloseable c : closing) {
      c.close();
    }
    store.close();
  }

  @Test
  void aSagaStartedOnV1FinishesOnV1WhileV2TakesNewOrders() {
    SagaVersions versions =
        SagaVersions.orderSaga(SagaVersions.V1, SagaEngineConfiguration.sagaJson());
    SagaRuntime engine = engine(versions);
    String old = UUID.randomUUID().toString();
    engine.handle(TestMessages.envelope(placed(old)));
    Envelope<AuthorizePayment> authorize =
        payments.awaitEnvelope(AuthorizePayment.class, c -> c.orderId().equals(old));

    versions.routeBy(orderId -> SagaVersions.V2); // a release: every new saga starts on v2
    String fresh = UUID.randomUUID().toString();
    engine.handle(TestMessages.envelope(placed(fresh)));
    // v2 declines the large order before charging it
    orders.awaitEnvelope(RejectOrder.class, c -> c.orderId().equals(fresh));
    assertThat(orders.received(RejectOrder.class))
        .filteredOn(c -> c.orderId().equals(fresh))
        .extracting(RejectOrder::reason)
        .containsOnly(RejectionReason.PAYMENT_DECLINED);
    assertThat(payments.received(AuthorizePayment.class))
        .filteredOn(c -> c.orderId().equals(fresh))
        .isEmpty();

    // the saga started before goes on as v1 did: the same large order is charged and shipped
    Envelope<PaymentAuthorized> authorized =
        authorize.reply(
            UUID.randomUUID().toString(),
            Instant.now(),
            new PaymentAuthorized(old, "pay-1", LARGE));
    engine.handle(authorized);
    Envelope<ScheduleShipment> schedule =
        shipping.awaitEnvelope(ScheduleShipment.class, c -> c.orderId().equals(old));
    engine.handle(
        schedule.reply(
            UUID.randomUUID().toString(),
            Instant.now(),
            new ShipmentScheduled(old, "shp-1", "CJ", "CJ1")));
    Envelope<ApproveOrder> approve =
        orders.awaitEnvelope(ApproveOrder.class, c -> c.orderId().equals(old));
    engine.handle(
        approve.reply(UUID.randomUUID().toString(), Instant.now(), new OrderApproved(old)));

    SagaRecords records = new SagaRecords(store.database());
    assertThat(records.find(old).orElseThrow().status().state()).isEqualTo(SagaState.COMPLETED);
    assertThat(records.find(old).orElseThrow().sagaVersion()).isEqualTo(SagaVersions.V1);
    assertThat(records.find(fresh).orElseThrow().sagaVersion()).isEqualTo(SagaVersions.V2);
    MongoSagaStatusBoard board = new MongoSagaStatusBoard(store.database());
    assertThat(board.entry(old).orElseThrow().sagaVersion()).isEqualTo(SagaVersions.V1);
    assertThat(board.entry(fresh).orElseThrow().sagaVersion()).isEqualTo(SagaVersions.V2);
  }

  @Test
  void aSagaStoredWithoutAVersionRunsOnV1() {
    SagaVersions versions =
        SagaVersions.orderSaga(SagaVersions.V1, SagaEngineConfiguration.sagaJson());
    String orderId = UUID.randomUUID().toString();
    engine(versions).handle(TestMessages.envelope(placed(orderId)));
    Envelope<AuthorizePayment> authorize =
        payments.awaitEnvelope(AuthorizePayment.class, c -> c.orderId().equals(orderId));
    // as stored by an engine before versions were recorded
    store
        .database()
        .getCollection(MongoSagaStatusBoard.COLLECTION)
        .updateOne(
            Filters.eq("_id", orderId),
            Updates.combine(Updates.unset("engine.sagaVersion"), Updates.unset("sagaVersion")));
    versions.routeBy(id -> SagaVersions.V2);

    SagaRuntime restarted = engine(versions);
    restarted.handle(
        authorize.reply(
            UUID.randomUUID().toString(),
            Instant.now(),
            new PaymentAuthorized(orderId, "pay-1", LARGE)));

    shipping.awaitEnvelope(ScheduleShipment.class, c -> c.orderId().equals(orderId));
    SagaRecord record = new SagaRecords(store.database()).find(orderId).orElseThrow();
    assertThat(record.sagaVersion()).isNull();
    assertThat(record.versionName()).isEqualTo(SagaVersions.V1);
    assertThat(
            new MongoSagaStatusBoard(store.database()).entry(orderId).orElseThrow().sagaVersion())
        .isEqualTo(SagaVersions.V1);
  }

  @Test
  void theReplayCheckFindsV2sChangedDecisionOverRecordedHistoriesAndPassesAnIdenticalVersion() {
    SagaVersions versions =
        new SagaVersions(
            SagaVersions.V1,
            List.of(
                SagaDefinition.of(SagaVersions.V1, OrderSaga.class, sagaJson),
                SagaDefinition.of(SagaVersions.V2, OrderSagaV2.class, sagaJson),
                // the same definition under another name: its decisions are v1's
                SagaDefinition.of("v1-again", OrderSaga.class, sagaJson)));
    SagaRuntime engine = engine(versions);
    String large = UUID.randomUUID().toString();
    String small = UUID.randomUUID().toString();
    String declined = UUID.randomUUID().toString();
    complete(engine, large, LARGE);
    complete(engine, small, Money.of("20.00", "EUR"));
    engine.handle(TestMessages.envelope(SampleOrders.placed(declined, LARGE)));
    Envelope<AuthorizePayment> authorize =
        payments.awaitEnvelope(AuthorizePayment.class, c -> c.orderId().equals(declined));
    engine.handle(
        authorize.reply(
            UUID.randomUUID().toString(),
            Instant.now(),
            new PaymentDeclined(declined, DeclineReason.INSUFFICIENT_FUNDS, "no funds")));
    Envelope<RejectOrder> reject =
        orders.awaitEnvelope(RejectOrder.class, c -> c.orderId().equals(declined));
    engine.handle(
        reject.reply(
            UUID.randomUUID().toString(),
            Instant.now(),
            new OrderRejected(declined, RejectionReason.PAYMENT_DECLINED)));
    JournalReader reader =
        new JournalReader(store.database(), JournalTypes.orderSaga(), new ObjectMapper());
    // the journal is written beside the steps: wait until each saga's last step is in it
    await()
        .until(
            () ->
                reader.history(large).size() == 7
                    && reader.history(small).size() == 7
                    && reader.history(declined).size() == 6);
    HistoryReplay replay =
        new HistoryReplay(
            versions,
            new MongoSagaStatusBoard(store.database()),
            reader,
            SagaMessages.codec(),
            settings());
    HistoryReplay.Selection all = new HistoryReplay.Selection(50, null, null, Set.of());

    HistoryReplay.Report v2 = replay.check(SagaVersions.V2, all);
    HistoryReplay.Report same = replay.check("v1-again", all);
    HistoryReplay.Report compensatedOnly =
        replay.check(
            SagaVersions.V2,
            new HistoryReplay.Selection(50, null, null, Set.of(SagaState.COMPENSATED)));

    assertThat(v2.checked()).isEqualTo(3);
    assertThat(v2.sagas())
        .extracting(HistoryReplay.SagaResult::orderId)
        .containsOnly(large, declined);
    HistoryReplay.SagaResult changed =
        v2.sagas().stream().filter(r -> r.orderId().equals(large)).findFirst().orElseThrow();
    assertThat(changed.recordedVersion()).isEqualTo(SagaVersions.V1);
    assertThat(changed.recordedState()).isEqualTo("COMPLETED");
    assertThat(changed.differences().get(0).kind()).isEqualTo("COMMAND");
    assertThat(changed.differences().get(0).at()).isZero();
    assertThat(changed.differences().get(0).recorded()).startsWith("payment.AuthorizePayment ");
    assertThat(changed.differences().get(0).candidate()).startsWith("order.RejectOrder ");
    assertThat(changed.differences()).extracting(HistoryReplay.Difference::kind).contains("STATE");
    assertThat(same.checked()).isEqualTo(3);
    assertThat(same.same()).isEqualTo(3);
    assertThat(same.sagas()).isEmpty();
    assertThat(compensatedOnly.checked()).isEqualTo(1);
    assertThat(compensatedOnly.sagas())
        .extracting(HistoryReplay.SagaResult::orderId)
        .containsOnly(declined);
  }

  /** Drives a saga of {@code total} through payment, shipment and approval. */
  private void complete(SagaRuntime engine, String orderId, Money total) {
    engine.handle(TestMessages.envelope(SampleOrders.placed(orderId, total)));
    Envelope<AuthorizePayment> authorize =
        payments.awaitEnvelope(AuthorizePayment.class, c -> c.orderId().equals(orderId));
    engine.handle(
        authorize.reply(
            UUID.randomUUID().toString(),
            Instant.now(),
            new PaymentAuthorized(orderId, "pay-" + orderId, total)));
    Envelope<ScheduleShipment> schedule =
        shipping.awaitEnvelope(ScheduleShipment.class, c -> c.orderId().equals(orderId));
    engine.handle(
        schedule.reply(
            UUID.randomUUID().toString(),
            Instant.now(),
            new ShipmentScheduled(orderId, "shp-" + orderId, "CJ", "CJ1")));
    Envelope<ApproveOrder> approve =
        orders.awaitEnvelope(ApproveOrder.class, c -> c.orderId().equals(orderId));
    engine.handle(
        approve.reply(UUID.randomUUID().toString(), Instant.now(), new OrderApproved(orderId)));
  }

  private static SagaSettings settings() {
    return new SagaSettings(Duration.ofSeconds(10), Duration.ofSeconds(40), 3);
  }

  private SagaRuntime engine(SagaVersions versions) {
    ConfirmingPublisher publisher =
        TestSagaRuntimes.publisher(
            rabbit.connection(), rabbit.topology(), Duration.ofSeconds(5), "saga-engine");
    closing.add(publisher);
    SagaRuntime runtime =
        TestSagaRuntimes.versioned(
            new SagaRecords(store.database()),
            store,
            journal,
            publisher,
            new SimpleMeterRegistry(),
            settings(),
            versions);
    closing.add(runtime);
    return runtime;
  }

  private QueueProbe probe(String queue) {
    return new QueueProbe(rabbit.connection(), rabbit.topology(), queue, codec);
  }

  private static OrderPlaced placed(String orderId) {
    return SampleOrders.placed(orderId, LARGE);
  }
}
