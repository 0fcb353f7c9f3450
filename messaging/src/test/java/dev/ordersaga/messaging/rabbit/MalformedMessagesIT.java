package dev.ordersaga.messaging.rabbit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import dev.ordersaga.messaging.codec.MessageTypes;
import dev.ordersaga.messaging.codec.WireCodec;
import dev.ordersaga.messaging.contracts.notification.NotificationChannels;
import dev.ordersaga.messaging.contracts.order.OrderChannels;
import dev.ordersaga.messaging.contracts.payment.PaymentChannels;
import dev.ordersaga.messaging.contracts.saga.SagaChannels;
import dev.ordersaga.messaging.contracts.shipping.ShippingChannels;
import dev.ordersaga.messaging.inbox.MongoInbox;
import dev.ordersaga.messaging.store.Store;
import dev.ordersaga.messaging.testing.ParkedProbe;
import dev.ordersaga.messaging.testing.RabbitExtension;
import dev.ordersaga.messaging.testing.TestRabbit;
import dev.ordersaga.messaging.testing.TestStores;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Malformed envelopes published straight to each of the five inbound queues of the real broker (as
 * anyone with write access to a queue could): every one is parked at once, as UNDECODABLE with the
 * codec's reason and a message naming the field; the handler never sees one; valid messages sent
 * after them still go through. Three {@code NotifyCustomer}s whose {@code messageId} is {@code
 * null} (which used to be read as the text "null", so that two of them were dropped as duplicates
 * of the first) are all parked, none handled.
 */
@ExtendWith(RabbitExtension.class)
class MalformedMessagesIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String CASE = "x-test-case";

  /** Each queue and a golden sample of a message it takes. */
  private static final Map<String, String> QUEUES =
      Map.of(
          OrderChannels.COMMAND_QUEUE, "order.ApproveOrder.r1",
          PaymentChannels.COMMAND_QUEUE, "payment.AuthorizePayment.r1",
          ShippingChannels.COMMAND_QUEUE, "shipping.ScheduleShipment.r1",
          NotificationChannels.COMMAND_QUEUE, "notification.NotifyCustomer.r1",
          SagaChannels.EVENT_QUEUE, "payment.PaymentAuthorized.r1");

  /** Each malformed envelope: its change to a valid one, and the codec's reason. */
  private static final Map<String, Malformed> MALFORMED = new LinkedHashMap<>();

  record Malformed(Consumer<ObjectNode> change, String detail, String names) {}

  static {
    MALFORMED.put(
        "messageId null",
        new Malformed(n -> n.putNull("messageId"), "MISSING_ENVELOPE_FIELD", "messageId"));
    MALFORMED.put(
        "messageId number",
        new Malformed(n -> n.put("messageId", 7), "INVALID_ENVELOPE_FIELD", "messageId"));
    MALFORMED.put(
        "messageId with spaces",
        new Malformed(n -> n.put("messageId", "a b"), "INVALID_ENVELOPE_FIELD", "messageId"));
    MALFORMED.put(
        "sagaId null", new Malformed(n -> n.putNull("sagaId"), "MISSING_ENVELOPE_FIELD", "sagaId"));
    MALFORMED.put(
        "sagaId number",
        new Malformed(n -> n.put("sagaId", 1), "INVALID_ENVELOPE_FIELD", "sagaId"));
    MALFORMED.put(
        "sagaId not the payload's",
        new Malformed(n -> n.put("sagaId", "another-saga"), "INVALID_ENVELOPE_FIELD", "sagaId"));
    MALFORMED.put(
        "revision text",
        new Malformed(n -> n.put("revision", "x"), "INVALID_ENVELOPE_FIELD", "revision"));
    MALFORMED.put(
        "revision fraction",
        new Malformed(n -> n.put("revision", 1.5), "INVALID_ENVELOPE_FIELD", "revision"));
    MALFORMED.put(
        "revision missing",
        new Malformed(n -> n.remove("revision"), "MISSING_ENVELOPE_FIELD", "revision"));
    MALFORMED.put(
        "revision unknown", new Malformed(n -> n.put("revision", 9), "UNKNOWN_TYPE", "revision 9"));
    MALFORMED.put(
        "occurredAt year 1e9",
        new Malformed(
            n -> n.put("occurredAt", "+1000000000-01-01T00:00:00Z"),
            "INVALID_ENVELOPE_FIELD",
            "occurredAt"));
    MALFORMED.put(
        "occurredAt not a date",
        new Malformed(n -> n.put("occurredAt", "soon"), "INVALID_ENVELOPE_FIELD", "occurredAt"));
    MALFORMED.put(
        "payload orderId number",
        new Malformed(
            n -> ((ObjectNode) n.get("payload")).put("orderId", 5), "INVALID_PAYLOAD", "orderId"));
    MALFORMED.put(
        "payload text too long",
        new Malformed(
            n -> ((ObjectNode) n.get("payload")).put("orderId", "o".repeat(5000)),
            "INVALID_PAYLOAD",
            "longer than"));
  }

  private final WireCodec codec = new WireCodec(MessageTypes.orderSaga());
  private final MessagingMetrics metrics = MessagingMetrics.inMemory();
  private final Set<String> handled = ConcurrentHashMap.newKeySet();

  private TestRabbit rabbit;
  private Store store;
  private ConfirmingPublisher publisher;
  private MessageConsumer consumer;

  @BeforeEach
  void setUp(TestRabbit rabbit) {
    this.rabbit = rabbit;
    for (String queue : QUEUES.keySet()) {
      rabbit.drain(rabbit.topology().name(queue));
      rabbit.drain(rabbit.topology().parkingQueue(queue));
    }
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
            "test-service",
            10,
            2,
            RedeliveryBackoff.DEFAULT,
            Clock.systemUTC());
    for (String queue : QUEUES.keySet()) {
      consumer.subscribe(queue, envelope -> handled.add(envelope.messageId()));
    }
  }

  @AfterEach
  void tearDown() {
    consumer.close();
    publisher.close();
    store.close();
  }

  @Test
  void everyMalformedEnvelopeOnEveryQueueIsParkedWithItsReasonAndValidOnesStillGoThrough()
      throws Exception {
    int sent = 0;
    for (Map.Entry<String, String> queue : QUEUES.entrySet()) {
      for (Map.Entry<String, Malformed> bad : MALFORMED.entrySet()) {
        ObjectNode node = valid(queue.getValue());
        bad.getValue().change().accept(node);
        publishRaw(
            queue.getKey(), queue.getKey() + "/" + bad.getKey(), JSON.writeValueAsBytes(node));
        sent++;
      }
      publishRaw(
          queue.getKey(),
          queue.getKey() + "/not JSON",
          "{\"messageId\":".getBytes(StandardCharsets.UTF_8));
      sent++;
    }
    assertThat(sent).isEqualTo(QUEUES.size() * (MALFORMED.size() + 1));

    List<String> validIds = new java.util.ArrayList<>();
    for (Map.Entry<String, String> queue : QUEUES.entrySet()) {
      ObjectNode node = valid(queue.getValue());
      validIds.add(node.get("messageId").textValue());
      publishRaw(queue.getKey(), queue.getKey() + "/valid", JSON.writeValueAsBytes(node));
    }

    for (String queue : QUEUES.keySet()) {
      ParkedProbe parked = new ParkedProbe(rabbit.connection(), rabbit.topology(), queue);
      for (Map.Entry<String, Malformed> bad : MALFORMED.entrySet()) {
        ParkedProbe.Parked one = parked.awaitHeader(CASE, queue + "/" + bad.getKey());
        assertThat(one.reason()).as(bad.getKey()).isEqualTo("UNDECODABLE");
        assertThat(one.detail()).as(bad.getKey()).isEqualTo(bad.getValue().detail());
        assertThat(one.message())
            .as(bad.getKey())
            .contains(bad.getValue().names())
            .hasSizeLessThan(500);
        assertThat(one.header(ParkingHeaders.ORIGINAL_QUEUE))
            .isEqualTo(rabbit.topology().name(queue));
      }
      assertThat(parked.awaitHeader(CASE, queue + "/not JSON").detail())
          .isEqualTo("MALFORMED_JSON");
    }
    await().untilAsserted(() -> assertThat(handled).containsExactlyInAnyOrderElementsOf(validIds));
  }

  @Test
  void notifyCustomersWithANullMessageIdAreAllParkedNotDroppedAsDuplicates() throws Exception {
    String queue = NotificationChannels.COMMAND_QUEUE;
    for (int i = 0; i < 3; i++) {
      ObjectNode node = valid("notification.NotifyCustomer.r1");
      node.putNull("messageId");
      publishRaw(queue, "null id " + i, JSON.writeValueAsBytes(node));
    }

    ParkedProbe parked = new ParkedProbe(rabbit.connection(), rabbit.topology(), queue);
    for (int i = 0; i < 3; i++) {
      assertThat(parked.awaitHeader(CASE, "null id " + i).detail())
          .isEqualTo("MISSING_ENVELOPE_FIELD");
    }
    assertThat(handled).isEmpty();
  }

  /** A golden sample with a fresh saga and message id and a current time. */
  private static ObjectNode valid(String golden) throws IOException {
    ObjectNode node;
    try (InputStream in =
        MalformedMessagesIT.class.getResourceAsStream("/golden/" + golden + ".json")) {
      node = (ObjectNode) JSON.readTree(in);
    }
    String sagaId = UUID.randomUUID().toString();
    node.put("sagaId", sagaId);
    ((ObjectNode) node.get("payload")).put("orderId", sagaId);
    node.put("messageId", sagaId + ":test");
    node.put("occurredAt", Instant.now().toString());
    return node;
  }

  /** Publishes a body straight to a queue, as a client with write access to it could. */
  private void publishRaw(String queue, String testCase, byte[] body) throws Exception {
    try (Channel channel = rabbit.connection().createChannel()) {
      channel.confirmSelect();
      channel.basicPublish(
          "",
          rabbit.topology().name(queue),
          new AMQP.BasicProperties.Builder()
              .deliveryMode(2)
              .headers(Map.of(CASE, testCase))
              .build(),
          body);
      channel.waitForConfirmsOrDie(5000);
    }
  }
}
