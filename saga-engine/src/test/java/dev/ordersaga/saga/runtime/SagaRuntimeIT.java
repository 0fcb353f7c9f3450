package dev.ordersaga.saga.runtime;

import static dev.ordersaga.saga.SampleOrders.placed;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import dev.ordersaga.messaging.Envelope;
import dev.ordersaga.messaging.Message;
import dev.ordersaga.messaging.MessageIds;
import dev.ordersaga.messaging.codec.MessageTypes;
import dev.ordersaga.messaging.codec.WireCodec;
import dev.ordersaga.messaging.contracts.order.ApproveOrder;
import dev.ordersaga.messaging.contracts.order.OrderApproved;
import dev.ordersaga.messaging.contracts.order.OrderCancellationRequested;
import dev.ordersaga.messaging.contracts.order.OrderChannels;
import dev.ordersaga.messaging.contracts.order.OrderPlaced;
import dev.ordersaga.messaging.contracts.payment.AuthorizePayment;
import dev.ordersaga.messaging.contracts.payment.PaymentAuthorized;
import dev.ordersaga.messaging.contracts.payment.PaymentChannels;
import dev.ordersaga.messaging.contracts.shipping.ScheduleShipment;
import dev.ordersaga.messaging.contracts.shipping.ShipmentScheduled;
import dev.ordersaga.messaging.contracts.shipping.ShippingChannels;
import dev.ordersaga.messaging.rabbit.ConfirmingPublisher;
import dev.ordersaga.messaging.rabbit.PublishException;
import dev.ordersaga.messaging.rabbit.Topology;
import dev.ordersaga.messaging.store.Store;
import dev.ordersaga.messaging.testing.QueueProbe;
import dev.ordersaga.messaging.testing.RabbitExtension;
import dev.ordersaga.messaging.testing.TestMessages;
import dev.ordersaga.messaging.testing.TestRabbit;
import dev.ordersaga.messaging.testing.TestStores;
import dev.ordersaga.saga.SagaSettings;
import dev.ordersaga.saga.SagaState;
import dev.ordersaga.saga.journal.JournalEvent;
import dev.ordersaga.saga.journal.JournalReader;
import dev.ordersaga.saga.journal.JournalTypes;
import dev.ordersaga.saga.journal.SagaJournal;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The saga runtime over the real broker and store, at the points where a step can be cut short:
 * after the saga's document is written and before its command is confirmed (as a crash or a lost
 * broker would leave it), by two engines at once, and across a restart. Each engine here is a
 * runtime built on the same store, as a restarted or second saga-engine would be.
 */
@ExtendWith(RabbitExtension.class)
class SagaRuntimeIT {

  private final WireCodec codec = new WireCodec(MessageTypes.orderSaga());
  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  private final List<AutoCloseable> closing = new ArrayList<>();

  private TestRabbit rabbit;
  private Store store;
  private SagaJournal journal;
  private JournalReader journalReader;
  private QueueProbe payments;
  private QueueProbe shipping;
  private QueueProbe orders;

  @BeforeEach
  void setUp(TestRabbit rabbit) {
    this.rabbit = rabbit;
    store = TestStores.open();
    journal = TestSagaRuntimes.journal(store);
    journalReader =
        new JournalReader(store.database(), JournalTypes.orderSaga(), new ObjectMapper());
    payments =
        new QueueProbe(
            rabbit.connection(), rabbit.topology(), PaymentChannels.COMMAND_QUEUE, codec);
    shipping =
        new QueueProbe(
            rabbit.connection(), rabbit.topology(), ShippingChannels.COMMAND_QUEUE, codec);
    orders =
        new QueueProbe(rabbit.connection(), rabbit.topology(), OrderChannels.COMMAND_QUEUE, codec);
  }

  @AfterEach
  void tearDown() throws Exception {
    for (AutoCloseable c : closing) {
      c.close();
    }
    store.close();
  }

  @Test
  void aStepCutShortAfterItsWriteIsCompletedByItsRedeliveredMessage() throws Exception {
    String orderId = UUID.randomUUID().toString();
    Envelope<OrderPlaced> placed = TestMessages.envelope(placed(orderId));

    assertThatThrownBy(() -> brokenEngine().handle(placed)).isInstanceOf(PublishException.class);
    // the step is stored, its command is not sent and nothing is journaled yet
    assertThat(records().find(orderId).orElseThrow().status().state())
        .isEqualTo(SagaState.AWAITING_PAYMENT);
    assertThat(journalReader.history(orderId)).isEmpty();

    SagaRuntime restarted = engine(Duration.ofSeconds(10));
    restarted.handle(placed);

    Envelope<AuthorizePayment> authorize =
        payments.awaitEnvelope(AuthorizePayment.class, c -> c.orderId().equals(orderId));
    assertThat(authorize.causationId()).isEqualTo(placed.messageId());
    awaitJournal(orderId).containsExactly("OrderPlaced", "AuthorizePayment");
    restarted.handle(placed);
    awaitJournal(orderId).containsExactly("OrderPlaced", "AuthorizePayment");
    assertThat(meters.counter("saga.duplicates").count()).isEqualTo(2);
    // the restarted engine started the saga again without a read, met the stored one at the
    // insert and found the message consumed: the start counts once
    assertThat(meters.counter("saga.started").count()).isEqualTo(1);
  }

  @Test
  void theSameEngineSendsAgainACommandItsBrokerRefusedWhenTheMessageComesAgain() throws Exception {
    String orderId = UUID.randomUUID().toString();
    SagaRuntime engine = engine(Duration.ofSeconds(10));
    engine.handle(TestMessages.envelope(placed(orderId)));
    Envelope<AuthorizePayment> authorize =
        payments.awaitEnvelope(AuthorizePayment.class, c -> c.orderId().equals(orderId));
    Envelope<PaymentAuthorized> authorized =
        authorize.reply(
            UUID.randomUUID().toString(),
            java.time.Instant.now(),
            new PaymentAuthorized(orderId, "pay-1", authorize.payload().amount()));
    awaitJournal(orderId).containsExactly("OrderPlaced", "AuthorizePayment");
    Topology.QueueSpec commands =
        rabbit.topology().queues().stream()
            .filter(q -> q.baseName().equals(ShippingChannels.COMMAND_QUEUE))
            .findFirst()
            .orElseThrow();
    try (Channel channel = rabbit.connection().createChannel()) {
      // ScheduleShipment has nowhere to go: the broker returns it, the publish fails
      channel.queueUnbind(
          rabbit.topology().name(commands.baseName()),
          rabbit.topology().name(commands.exchange()),
          commands.binding());
      assertThatThrownBy(() -> engine.handle(authorized)).isInstanceOf(PublishException.class);
      channel.queueBind(
          rabbit.topology().name(commands.baseName()),
          rabbit.topology().name(commands.exchange()),
          commands.binding());
    }

    engine.handle(authorized); // the reply again, as the broker redelivers it

    shipping.awaitEnvelope(ScheduleShipment.class, c -> c.orderId().equals(orderId));
    awaitJournal(orderId)
        .containsExactly(
            "OrderPlaced", "AuthorizePayment", "PaymentAuthorized", "ScheduleShipment");
  }

  @Test
  void aStepCutShortIsCompletedByTheSagasTimerWhenNoMessageComesAgain() {
    String orderId = UUID.randomUUID().toString();
    Envelope<OrderPlaced> placed = TestMessages.envelope(placed(orderId));
    assertThatThrownBy(() -> brokenEngine().handle(placed)).isInstanceOf(PublishException.class);
    SagaTimers timers = new SagaTimers(store.database());
    // the timer was set before the saga's document: the way back to the saga
    assertThat(timers.pending()).isEqualTo(1);

    SagaRuntime restarted = engine(Duration.ofSeconds(10));
    restarted.wake(orderId);

    Envelope<AuthorizePayment> authorize =
        payments.awaitEnvelope(AuthorizePayment.class, c -> c.orderId().equals(orderId));
    assertThat(authorize.messageId()).isNotBlank();
    awaitJournal(orderId).containsExactly("OrderPlaced", "AuthorizePayment");
    // still waiting on the payment's deadline: the timer stays, at that deadline
    SagaRecord record = records().find(orderId).orElseThrow();
    assertThat(record.timerAt()).isEqualTo(record.deadline().at());
    assertThat(timers.pending()).isEqualTo(1);
  }

  @Test
  void theSagasNextStepCompletesTheOneCutShortFirst() {
    String orderId = UUID.randomUUID().toString();
    Envelope<OrderPlaced> placed = TestMessages.envelope(placed(orderId));
    assertThatThrownBy(() -> brokenEngine().handle(placed)).isInstanceOf(PublishException.class);

    engine(Duration.ofSeconds(10))
        .handle(TestMessages.envelope(new OrderCancellationRequested(orderId, "changed my mind")));

    payments.awaitEnvelope(AuthorizePayment.class, c -> c.orderId().equals(orderId));
    awaitJournal(orderId)
        .containsExactly("OrderPlaced", "AuthorizePayment", "OrderCancellationRequested");
    assertThat(records().find(orderId).orElseThrow().status().cancelRequested()).isTrue();
  }

  @Test
  void twoEnginesOnOneStoreApplyEachMessageOnce() throws Exception {
    String orderId = UUID.randomUUID().toString();
    SagaRuntime first = engine(Duration.ofSeconds(10));
    SagaRuntime second = engine(Duration.ofSeconds(10));
    Envelope<OrderPlaced> placed = TestMessages.envelope(placed(orderId));
    first.handle(placed);
    Envelope<AuthorizePayment> authorize =
        payments.awaitEnvelope(AuthorizePayment.class, c -> c.orderId().equals(orderId));
    Envelope<PaymentAuthorized> authorized =
        authorize.reply(
            UUID.randomUUID().toString(),
            java.time.Instant.now(),
            new PaymentAuthorized(orderId, "pay-1", authorize.payload().amount()));

    ExecutorService both = Executors.newFixedThreadPool(4);
    try {
      List<Future<?>> runs = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        SagaRuntime engine = i % 2 == 0 ? first : second;
        runs.add(both.submit(() -> engine.handle(authorized)));
      }
      for (Future<?> run : runs) {
        run.get();
      }
    } finally {
      both.shutdownNow();
    }

    await()
        .untilAsserted(
            () ->
                assertThat(shipping.received(ScheduleShipment.class))
                    .filteredOn(c -> c.orderId().equals(orderId))
                    .isNotEmpty());
    // sent by whichever engine stepped, and again by the other as it found the step done: one id
    assertThat(shipping.received())
        .filteredOn(e -> e.sagaId().equals(orderId))
        .extracting(Envelope::messageId)
        .containsOnly(MessageIds.forStep(orderId, "SCHEDULE_SHIPMENT", 1));
    awaitJournal(orderId)
        .containsExactly(
            "OrderPlaced", "AuthorizePayment", "PaymentAuthorized", "ScheduleShipment");
    SagaRecord record = records().find(orderId).orElseThrow();
    assertThat(record.status().state()).isEqualTo(SagaState.AWAITING_SHIPMENT);
    assertThat(record.consumed()).containsExactly(placed.messageId(), authorized.messageId());
  }

  @Test
  void aDeadlineOutlivesTheEngineThatSetItAndFiresInTheNextOne() {
    String orderId = UUID.randomUUID().toString();
    engine(Duration.ofMillis(200)).handle(TestMessages.envelope(placed(orderId)));
    payments.awaitEnvelope(AuthorizePayment.class, c -> c.orderId().equals(orderId));

    SagaRuntime restarted = engine(Duration.ofMillis(200));
    SagaTimers timers = new SagaTimers(store.database());
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> !timers.due(Clock.systemUTC().instant(), 10).isEmpty());
    timers.due(Clock.systemUTC().instant(), 10).forEach(due -> restarted.wake(due.orderId()));

    List<Envelope<AuthorizePayment>> attempts = new ArrayList<>();
    await()
        .untilAsserted(
            () -> {
              attempts.clear();
              payments.received().stream()
                  .filter(e -> e.sagaId().equals(orderId))
                  .forEach(e -> attempts.add(cast(e)));
              assertThat(attempts).hasSize(2);
            });
    assertThat(attempts.get(1).payload().idempotencyKey())
        .isEqualTo(attempts.get(0).payload().idempotencyKey());
    awaitJournal(orderId)
        .containsExactly("OrderPlaced", "AuthorizePayment", "StepTimedOut", "AuthorizePayment");
    assertThat(records().find(orderId).orElseThrow().status().attempt()).isEqualTo(2);
  }

  @Test
  void aReplyToACommandAnotherEngineSentIsTakenByAnEngineThatStoredTheSagaBefore() {
    String orderId = UUID.randomUUID().toString();
    SagaRuntime first = engine(Duration.ofSeconds(10));
    SagaRuntime second = engine(Duration.ofSeconds(10));
    // the second engine takes the payment's reply and sends ScheduleShipment
    Envelope<ScheduleShipment> schedule = placedAndPaid(orderId, first, second);

    // the shipping reply goes to the first engine, whose own copy of the saga predates that command
    first.handle(shipped(schedule));

    assertThat(records().find(orderId).orElseThrow().status().state())
        .isEqualTo(SagaState.AWAITING_APPROVAL);
    assertThat(meters.find("saga.replies.refused").counters())
        .allSatisfy(refused -> assertThat(refused.count()).isZero());
  }

  @Test
  void aStepComputedAgainAfterAConflictingWriteCountsItsMetersOnce() {
    String orderId = UUID.randomUUID().toString();
    SagaRuntime first = engine(Duration.ofSeconds(10));
    SagaRuntime second = engine(Duration.ofSeconds(10));
    first.handle(shipped(placedAndPaid(orderId, first, first)));
    Envelope<ApproveOrder> approve =
        orders.awaitEnvelope(ApproveOrder.class, c -> c.orderId().equals(orderId));
    Envelope<OrderApproved> approved =
        approve.reply(
            UUID.randomUUID().toString(), java.time.Instant.now(), new OrderApproved(orderId));

    // the second engine ends the saga; the same reply then comes to the first, whose own copy of
    // the saga still awaits it: the first computes the step, meets the second's write, reads the
    // saga again and finds the reply consumed
    second.handle(approved);
    first.handle(approved);

    assertThat(records().find(orderId).orElseThrow().status().state())
        .isEqualTo(SagaState.COMPLETED);
    assertThat(meters.counter("saga.completed").count()).isEqualTo(1);
    assertThat(meters.find("saga.duration").timer().count()).isEqualTo(1);
    assertThat(meters.counter("saga.started").count()).isEqualTo(1);
  }

  @Test
  void aTimerClaimedByAnEngineThatDiedFiresInAnotherOnceTheClaimRunsOut() {
    String orderId = UUID.randomUUID().toString();
    engine(Duration.ofMillis(200)).handle(TestMessages.envelope(placed(orderId)));
    payments.awaitEnvelope(AuthorizePayment.class, c -> c.orderId().equals(orderId));
    SagaTimers timers = new SagaTimers(store.database());
    await().atMost(Duration.ofSeconds(10)).until(() -> dueTimer(timers, orderId).isPresent());

    // an engine claims the due timer, then dies before it wakes the saga
    Duration lease = Duration.ofSeconds(2);
    java.time.Instant claimedUntil = java.time.Instant.now().plus(lease);
    assertThat(timers.claim(dueTimer(timers, orderId).orElseThrow(), claimedUntil)).isTrue();

    SagaEngineConfiguration.TimerPoller survivor =
        new SagaEngineConfiguration.TimerPoller(
            timers, engine(Duration.ofMillis(200)), Clock.systemUTC(), Duration.ofSeconds(5));
    // while the claim holds, the survivor leaves the saga alone
    await()
        .during(lease.minusMillis(500))
        .atMost(lease)
        .pollInterval(Duration.ofMillis(100))
        .until(
            () -> {
              survivor.fireDue();
              return attempts(orderId) == 1;
            });
    // then it fires the deadline: the payment is asked again, with the same key
    await()
        .atMost(Duration.ofSeconds(8))
        .pollInterval(Duration.ofMillis(100))
        .until(
            () -> {
              survivor.fireDue();
              return attempts(orderId) >= 2;
            });
    assertThat(java.time.Instant.now()).isAfterOrEqualTo(claimedUntil);
    awaitJournal(orderId)
        .startsWith("OrderPlaced", "AuthorizePayment", "StepTimedOut", "AuthorizePayment");
  }

  private static java.util.Optional<SagaTimers.Due> dueTimer(SagaTimers timers, String orderId) {
    return timers.due(Clock.systemUTC().instant(), 100).stream()
        .filter(due -> due.orderId().equals(orderId))
        .findFirst();
  }

  private long attempts(String orderId) {
    return payments.received().stream().filter(e -> e.sagaId().equals(orderId)).count();
  }

  // ---------------------------------------------------------------- helpers

  /** An engine over the test's store and broker whose steps wait this long for a reply. */
  /**
   * Places the order through {@code placer}, answers its AuthorizePayment through {@code payer},
   * and returns the ScheduleShipment that follows.
   */
  private Envelope<ScheduleShipment> placedAndPaid(
      String orderId, SagaRuntime placer, SagaRuntime payer) {
    placer.handle(TestMessages.envelope(placed(orderId)));
    Envelope<AuthorizePayment> authorize =
        payments.awaitEnvelope(AuthorizePayment.class, c -> c.orderId().equals(orderId));
    payer.handle(
        authorize.reply(
            UUID.randomUUID().toString(),
            java.time.Instant.now(),
            new PaymentAuthorized(orderId, "pay-1", authorize.payload().amount())));
    return shipping.awaitEnvelope(ScheduleShipment.class, c -> c.orderId().equals(orderId));
  }

  /** The carrier's reply to {@code schedule}: booked. */
  private static Envelope<ShipmentScheduled> shipped(Envelope<ScheduleShipment> schedule) {
    return schedule.reply(
        UUID.randomUUID().toString(),
        java.time.Instant.now(),
        new ShipmentScheduled(schedule.payload().orderId(), "shp-1", "carrier", "trk-1"));
  }

  private SagaRuntime engine(Duration stepTimeout) {
    return engine(stepTimeout, publisher(rabbit.connection()));
  }

  /** An engine whose broker connection is gone: its steps are stored, their commands not sent. */
  private SagaRuntime brokenEngine() throws Exception {
    ConnectionFactory factory = new ConnectionFactory();
    factory.setUri(URI.create(rabbit.uri()));
    Connection connection = factory.newConnection("broken");
    ConfirmingPublisher publisher = publisher(connection);
    connection.close();
    return engine(Duration.ofSeconds(10), publisher);
  }

  private SagaRuntime engine(Duration stepTimeout, ConfirmingPublisher publisher) {
    SagaSettings settings = new SagaSettings(stepTimeout, stepTimeout.multipliedBy(4), 3);
    return TestSagaRuntimes.runtime(records(), store, journal, publisher, meters, settings);
  }

  private ConfirmingPublisher publisher(Connection connection) {
    ConfirmingPublisher publisher =
        TestSagaRuntimes.publisher(
            connection, rabbit.topology(), Duration.ofSeconds(5), "saga-engine");
    closing.add(publisher);
    return publisher;
  }

  private SagaRecords records() {
    return new SagaRecords(store.database());
  }

  /** Waits until the saga's journal holds what is asserted; the journal is written beside steps. */
  private JournalAssert awaitJournal(String orderId) {
    return new JournalAssert(orderId);
  }

  private final class JournalAssert {
    private final String orderId;

    JournalAssert(String orderId) {
      this.orderId = orderId;
    }

    void containsExactly(String... types) {
      await().untilAsserted(() -> assertThat(types(orderId)).containsExactly(types));
    }

    void startsWith(String... types) {
      await().untilAsserted(() -> assertThat(types(orderId)).startsWith(types));
    }
  }

  private List<String> types(String orderId) {
    return journalReader.history(orderId).stream()
        .map(JournalEvent::type)
        .map(type -> type.substring(type.indexOf('.') + 1))
        .toList();
  }

  @SuppressWarnings("unchecked")
  private static Envelope<AuthorizePayment> cast(Envelope<Message> envelope) {
    return (Envelope<AuthorizePayment>) (Envelope<?>) envelope;
  }
}
