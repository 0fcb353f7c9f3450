package dev.ordersaga.messaging.rabbit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.rabbitmq.client.GetResponse;
import com.rabbitmq.client.MessageProperties;
import dev.ordersaga.messaging.Envelope;
import dev.ordersaga.messaging.codec.MessageTypes;
import dev.ordersaga.messaging.codec.WireCodec;
import dev.ordersaga.messaging.contracts.order.ApproveOrder;
import dev.ordersaga.messaging.contracts.order.OrderApproved;
import dev.ordersaga.messaging.contracts.order.OrderChannels;
import dev.ordersaga.messaging.contracts.saga.SagaChannels;
import dev.ordersaga.messaging.inbox.MongoInbox;
import dev.ordersaga.messaging.store.Store;
import dev.ordersaga.messaging.testing.MutableClock;
import dev.ordersaga.messaging.testing.RabbitExtension;
import dev.ordersaga.messaging.testing.TestMessages;
import dev.ordersaga.messaging.testing.TestRabbit;
import dev.ordersaga.messaging.testing.TestStores;
import io.micrometer.core.instrument.search.Search;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(RabbitExtension.class)
class MessageConsumerIT {

  private static final String QUEUE = OrderChannels.COMMAND_QUEUE;
  private static final Duration BACKOFF = Duration.ofMillis(40);

  private final WireCodec codec = new WireCodec(MessageTypes.orderSaga());
  private final MessagingMetrics metrics = MessagingMetrics.inMemory();

  /** How many times the handler was called, per order id. */
  private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();

  /** How many calls fail before one succeeds, per order id; absent means none fail. */
  private final Map<String, Integer> failuresBeforeSuccess = new ConcurrentHashMap<>();

  /** When each call happened, per order id. */
  private final Map<String, List<Long>> callTimes = new ConcurrentHashMap<>();

  private TestRabbit rabbit;
  private Store store;
  private ConfirmingPublisher publisher;
  private MessageConsumer consumer;

  @BeforeEach
  void setUp(TestRabbit rabbit) {
    this.rabbit = rabbit;
    rabbit.drain(rabbit.topology().name(QUEUE));
    rabbit.drain(rabbit.topology().parkingQueue(QUEUE));
    store = TestStores.open();
    publisher =
        new ConfirmingPublisher(
            rabbit.connection(), rabbit.topology(), codec, metrics, Duration.ofSeconds(10), "test");
    consumer =
        new MessageConsumer(
            rabbit.connection(),
            rabbit.topology(),
            codec,
            publisher,
            new MongoInbox(store.database(), Duration.ofDays(1), Clock.systemUTC()),
            metrics,
            "order-service",
            10,
            4,
            new RedeliveryBackoff(BACKOFF, BACKOFF.multipliedBy(4)),
            Clock.systemUTC());
    consumer.subscribe(
        QUEUE,
        envelope -> {
          String orderId = envelope.payload().orderId();
          int call = calls.computeIfAbsent(orderId, id -> new AtomicInteger()).incrementAndGet();
          callTimes
              .computeIfAbsent(orderId, id -> new CopyOnWriteArrayList<>())
              .add(System.nanoTime());
          if (orderId.startsWith("reject-")) {
            throw new RejectedMessageException("order " + orderId + " cannot exist");
          }
          if (orderId.startsWith("early-")
              && call <= failuresBeforeSuccess.getOrDefault(orderId, 0)) {
            throw new EarlyMessageException("no saga for " + orderId + " (yet)");
          }
          if (call <= failuresBeforeSuccess.getOrDefault(orderId, 0)) {
            throw new IllegalStateException("store unavailable (call " + call + ")");
          }
        });
  }

  @AfterEach
  void tearDown() {
    consumer.close();
    publisher.close();
    store.close();
  }

  @Test
  void handledMessageIsAckedOnce() {
    Envelope<ApproveOrder> command = TestMessages.approveOrder();

    publisher.publish(command);

    await().untilAsserted(() -> assertThat(count("messaging.consumed")).isEqualTo(1));
    assertThat(calls.get(command.payload().orderId())).hasValue(1);
    assertThat(rabbit.messageCount(rabbit.topology().name(QUEUE))).isZero();
  }

  @Test
  void failingHandlerIsRetriedByRedeliveryUntilItSucceeds() {
    Envelope<ApproveOrder> command = TestMessages.approveOrder();
    failuresBeforeSuccess.put(command.payload().orderId(), 2);

    publisher.publish(command);

    await().untilAsserted(() -> assertThat(count("messaging.consumed")).isEqualTo(1));
    assertThat(calls.get(command.payload().orderId())).hasValue(3);
    assertThat(count("messaging.failed")).isEqualTo(2);
    List<Long> times = callTimes.get(command.payload().orderId());
    // each redelivery waits at least half of its backoff step: 40 ms, then 80 ms
    assertThat(Duration.ofNanos(times.get(1) - times.get(0)))
        .isGreaterThanOrEqualTo(BACKOFF.dividedBy(2));
    assertThat(Duration.ofNanos(times.get(2) - times.get(1))).isGreaterThanOrEqualTo(BACKOFF);
    assertThat(rabbit.messageCount(rabbit.topology().parkingQueue(QUEUE))).isZero();
  }

  @Test
  void messageThatKeepsFailingIsParkedWithTheErrorWhileOthersFlow() {
    Envelope<ApproveOrder> poison = TestMessages.approveOrder();
    failuresBeforeSuccess.put(poison.payload().orderId(), Integer.MAX_VALUE);
    List<Envelope<ApproveOrder>> healthy =
        List.of(TestMessages.approveOrder(), TestMessages.approveOrder());

    publisher.publish(poison);
    healthy.forEach(publisher::publish);

    await().untilAsserted(() -> assertThat(count("messaging.parked")).isEqualTo(1));
    healthy.forEach(h -> assertThat(calls.get(h.payload().orderId())).hasValue(1));
    int limit = rabbit.topology().maxDeliveries();
    assertThat(calls.get(poison.payload().orderId())).hasValue(limit);

    GetResponse parked = single(rabbit.drain(rabbit.topology().parkingQueue(QUEUE)));
    Map<String, Object> headers = parked.getProps().getHeaders();
    assertThat(parked.getProps().getMessageId()).isEqualTo(poison.messageId());
    assertThat(headers.get(ParkingHeaders.REASON)).hasToString("DELIVERY_LIMIT");
    assertThat(headers.get(ParkingHeaders.EXCEPTION))
        .hasToString(IllegalStateException.class.getName());
    assertThat(headers.get(ParkingHeaders.EXCEPTION_MESSAGE).toString())
        .contains("store unavailable");
    assertThat(headers.get(ParkingHeaders.SERVICE)).hasToString("order-service");
    assertThat(headers.get(ParkingHeaders.ORIGINAL_QUEUE))
        .hasToString(rabbit.topology().name(QUEUE));
    assertThat(((Number) headers.get(ParkingHeaders.DELIVERIES)).intValue()).isEqualTo(limit);
    assertThat(codec.decode(parked.getBody())).isEqualTo(poison);
  }

  @Test
  void rejectedMessageIsParkedWithoutRetries() {
    Envelope<ApproveOrder> command = TestMessages.envelope(new ApproveOrder("reject-1"));

    publisher.publish(command);

    await().untilAsserted(() -> assertThat(count("messaging.parked")).isEqualTo(1));
    assertThat(calls.get("reject-1")).hasValue(1);
    GetResponse parked = single(rabbit.drain(rabbit.topology().parkingQueue(QUEUE)));
    assertThat(parked.getProps().getHeaders().get(ParkingHeaders.REASON)).hasToString("REJECTED");
  }

  @Test
  void undecodableBodyIsParkedWithTheReasonAndNeverReachesTheHandler() {
    byte[] garbage = "not json at all".getBytes(StandardCharsets.UTF_8);
    byte[] unknownType =
        ("{\"messageId\":\"m-1\",\"sagaId\":\"o-1\",\"type\":\"order.Teleport\",\"revision\":1,"
                + "\"occurredAt\":\"2026-11-21T09:30:00Z\",\"payload\":{\"orderId\":\"o-1\"}}")
            .getBytes(StandardCharsets.UTF_8);

    publishRaw(garbage);
    publishRaw(unknownType);

    await().untilAsserted(() -> assertThat(count("messaging.parked")).isEqualTo(2));
    assertThat(calls).isEmpty();
    List<GetResponse> parked = rabbit.drain(rabbit.topology().parkingQueue(QUEUE));
    assertThat(parked)
        .extracting(p -> p.getProps().getHeaders().get(ParkingHeaders.REASON).toString())
        .containsOnly("UNDECODABLE");
    assertThat(parked)
        .extracting(p -> p.getProps().getHeaders().get(ParkingHeaders.EXCEPTION_MESSAGE).toString())
        .anySatisfy(m -> assertThat(m).contains("MALFORMED_JSON"))
        .anySatisfy(m -> assertThat(m).contains("UNKNOWN_TYPE").contains("order.Teleport"));
    assertThat(parked).extracting(GetResponse::getBody).contains(garbage, unknownType);
  }

  @Test
  void redeliveredMessageHasItsEffectOnce() {
    Envelope<ApproveOrder> command = TestMessages.approveOrder();

    publisher.publish(command);
    await().untilAsserted(() -> assertThat(count("messaging.consumed")).isEqualTo(1));
    publisher.publish(command);

    await().untilAsserted(() -> assertThat(count("messaging.duplicates")).isEqualTo(1));
    assertThat(calls.get(command.payload().orderId())).hasValue(1);
  }

  @Test
  void parkedMessageCanBeSeenWithItsReasonAndRedrivenOnceTheCauseIsFixed() {
    Envelope<ApproveOrder> command = TestMessages.approveOrder();
    failuresBeforeSuccess.put(command.payload().orderId(), rabbit.topology().maxDeliveries());
    ParkingLot parkingLot = new ParkingLot(rabbit.connection(), rabbit.topology(), publisher);

    publisher.publish(command);
    await().untilAsserted(() -> assertThat(count("messaging.parked")).isEqualTo(1));

    List<ParkingLot.Parked> parked = parkingLot.peek(QUEUE, 10);
    assertThat(parked)
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.messageId()).isEqualTo(command.messageId());
              assertThat(p.headers().get(ParkingHeaders.REASON)).hasToString("DELIVERY_LIMIT");
            });
    assertThat(rabbit.messageCount(rabbit.topology().parkingQueue(QUEUE))).isEqualTo(1);

    assertThat(parkingLot.redrive(QUEUE, 10))
        .extracting(ParkingLot.Parked::messageId)
        .containsExactly(command.messageId());

    await().untilAsserted(() -> assertThat(count("messaging.consumed")).isEqualTo(1));
    assertThat(calls.get(command.payload().orderId()))
        .hasValue(rabbit.topology().maxDeliveries() + 1);
    assertThat(rabbit.messageCount(rabbit.topology().parkingQueue(QUEUE))).isZero();
  }

  @Test
  void oneSagasMessagesAreHandledInOrderWhileOtherSagasGoOnBesideASlowOne() throws Exception {
    String fast = "fast-" + UUID.randomUUID();
    String slow = onAnotherWorker(fast, 4);
    Map<String, List<String>> handled = new ConcurrentHashMap<>();
    CountDownLatch fastDone = new CountDownLatch(20);
    rabbit.drain(rabbit.topology().name(SagaChannels.EVENT_QUEUE));
    consumer.subscribe(
        SagaChannels.EVENT_QUEUE,
        envelope -> {
          String sagaId = envelope.sagaId();
          handled
              .computeIfAbsent(sagaId, id -> new CopyOnWriteArrayList<>())
              .add(envelope.messageId());
          if (sagaId.equals(slow)) {
            // the slow saga's first message waits until the other saga's messages went through:
            // with one thread for the whole queue they never would
            assertThat(fastDone.await(20, TimeUnit.SECONDS)).isTrue();
          } else {
            fastDone.countDown();
          }
        },
        4,
        false);
    List<String> slowIds = new ArrayList<>();
    List<String> fastIds = new ArrayList<>();
    // the slow saga's messages wait unacked behind its first: fewer of them than the prefetch
    for (int i = 0; i < 20; i++) {
      if (i < 5) {
        Envelope<OrderApproved> a = TestMessages.envelope(new OrderApproved(slow));
        slowIds.add(a.messageId());
        publisher.publish(a);
      }
      Envelope<OrderApproved> b = TestMessages.envelope(new OrderApproved(fast));
      fastIds.add(b.messageId());
      publisher.publish(b);
    }

    await().untilAsserted(() -> assertThat(handled.get(slow)).hasSize(5));
    assertThat(handled.get(slow)).containsExactlyElementsOf(slowIds);
    assertThat(handled.get(fast)).containsExactlyElementsOf(fastIds);
  }

  @Test
  void withoutTheInboxEveryDeliveryReachesTheHandlerAndNothingIsStored() {
    List<String> handled = new CopyOnWriteArrayList<>();
    rabbit.drain(rabbit.topology().name(SagaChannels.EVENT_QUEUE));
    consumer.subscribe(
        SagaChannels.EVENT_QUEUE, envelope -> handled.add(envelope.messageId()), 2, false);
    Envelope<OrderApproved> event = TestMessages.orderApproved();

    publisher.publish(event);
    publisher.publish(event);

    await().untilAsserted(() -> assertThat(handled).hasSize(2));
    assertThat(handled).containsOnly(event.messageId());
    assertThat(count("messaging.duplicates")).isZero();
    assertThat(store.database().getCollection(MongoInbox.COLLECTION).countDocuments()).isZero();
  }

  @Test
  void anEarlyMessageGoesBackBehindTheQueueForLongerThanTheDeliveryLimitUntilItCanBeHandled() {
    Envelope<ApproveOrder> early = TestMessages.envelope(new ApproveOrder("early-1"));
    int limit = rabbit.topology().maxDeliveries();
    failuresBeforeSuccess.put("early-1", 2 * limit);

    publisher.publish(early);

    await().untilAsserted(() -> assertThat(count("messaging.consumed")).isEqualTo(1));
    assertThat(calls.get("early-1")).hasValue(2 * limit + 1);
    assertThat(count("messaging.parked")).isZero();
    assertThat(count("messaging.failed")).isZero();
    assertThat(rabbit.messageCount(rabbit.topology().name(QUEUE))).isZero();
    assertThat(rabbit.messageCount(rabbit.topology().parkingQueue(QUEUE))).isZero();
  }

  @Test
  void anEarlyMessageIsParkedOnceItsPatienceHasRunOut() {
    rabbit.drain(rabbit.topology().name(SagaChannels.EVENT_QUEUE));
    rabbit.drain(rabbit.topology().parkingQueue(SagaChannels.EVENT_QUEUE));
    MutableClock clock = new MutableClock(Instant.now());
    AtomicInteger tries = new AtomicInteger();
    MessageConsumer patient =
        new MessageConsumer(
            rabbit.connection(),
            rabbit.topology(),
            codec,
            publisher,
            null,
            metrics,
            "saga-engine",
            10,
            1,
            new RedeliveryBackoff(BACKOFF, BACKOFF),
            clock);
    try {
      patient.subscribe(
          SagaChannels.EVENT_QUEUE,
          envelope -> {
            tries.incrementAndGet();
            // each try comes later than the patience after the one before
            clock.advance(MessageConsumer.EARLY_MESSAGE_PATIENCE.plusSeconds(1));
            throw new EarlyMessageException("no saga for it (yet)");
          },
          1,
          false);
      Envelope<OrderApproved> event = TestMessages.orderApproved();

      publisher.publish(event);

      GetResponse parked =
          await()
              .until(
                  () -> rabbit.drain(rabbit.topology().parkingQueue(SagaChannels.EVENT_QUEUE)),
                  drained -> !drained.isEmpty())
              .get(0);
      assertThat(tries).hasValue(2);
      Map<String, Object> headers = parked.getProps().getHeaders();
      assertThat(parked.getProps().getMessageId()).isEqualTo(event.messageId());
      assertThat(headers.get(ParkingHeaders.REASON)).hasToString("DELIVERY_LIMIT");
      assertThat(headers.get(ParkingHeaders.EXCEPTION))
          .hasToString(EarlyMessageException.class.getName());
      assertThat(((Number) headers.get(MessageConsumer.EARLY_TRIES)).intValue()).isEqualTo(1);
    } finally {
      patient.close();
    }
  }

  /** A saga id that goes to another of {@code workers} workers than {@code sagaId} (by hash). */
  private static String onAnotherWorker(String sagaId, int workers) {
    String other;
    do {
      other = "slow-" + UUID.randomUUID();
    } while (Math.floorMod(other.hashCode(), workers) == Math.floorMod(sagaId.hashCode(), workers));
    return other;
  }

  private void publishRaw(byte[] body) {
    publisher.publish(
        rabbit.topology().name(Topology.COMMANDS_EXCHANGE),
        "order.Whatever",
        MessageProperties.PERSISTENT_BASIC,
        body,
        "raw");
  }

  private static GetResponse single(List<GetResponse> responses) {
    assertThat(responses).hasSize(1);
    return responses.get(0);
  }

  private double count(String name) {
    return Search.in(metrics.registry()).name(name).counters().stream()
        .mapToDouble(c -> c.count())
        .sum();
  }
}
