package dev.ordersaga.saga.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.MessageProperties;
import dev.ordersaga.messaging.Envelope;
import dev.ordersaga.messaging.contracts.notification.NotificationChannels;
import dev.ordersaga.messaging.contracts.order.OrderChannels;
import dev.ordersaga.messaging.contracts.payment.AuthorizePayment;
import dev.ordersaga.messaging.contracts.payment.PaymentAuthorized;
import dev.ordersaga.messaging.contracts.saga.SagaChannels;
import dev.ordersaga.messaging.contracts.shipping.CancelShipment;
import dev.ordersaga.messaging.contracts.shipping.ScheduleShipment;
import dev.ordersaga.messaging.contracts.shipping.ShippingChannels;
import dev.ordersaga.messaging.rabbit.ConfirmingPublisher;
import dev.ordersaga.messaging.rabbit.ParkingHeaders;
import dev.ordersaga.messaging.rabbit.Topology;
import dev.ordersaga.messaging.testing.Concurrently;
import dev.ordersaga.messaging.testing.TestMessages;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.http.ResponseEntity;

/** Parked broker messages: seen, re-driven to their queue, audited. */
class OpsParkedIT extends OpsTestSupport {

  /** Each test starts with nothing parked from the engine's queue. */
  @BeforeEach
  void emptyParking() throws Exception {
    try (Channel channel = connection.createChannel()) {
      channel.queuePurge(topology.parkingQueue(SagaChannels.EVENT_QUEUE));
    }
  }

  @Test
  void aParkedReplyIsSeenAndReDrivenAndTheSagaMovesOn() {
    String orderId = placeOrder("parked-" + UUID.randomUUID());
    Envelope<AuthorizePayment> authorize = awaitCommand(payments, AuthorizePayment.class, orderId);
    Envelope<PaymentAuthorized> reply =
        authorize.reply(
            UUID.randomUUID().toString(),
            Instant.now(),
            new PaymentAuthorized(orderId, "pay-1", authorize.payload().amount()));
    // as if the engine's consumer had parked it during an outage
    publisher.publish(
        "",
        topology.parkingQueue(SagaChannels.EVENT_QUEUE),
        properties(reply.messageId(), reply.type(), orderId, "DELIVERY_LIMIT"),
        codec.encode(reply),
        reply.type());
    String queue = SagaChannels.EVENT_QUEUE;

    List<JsonNode> parked = iterate(get("/ops/parked/" + queue).getBody().path("messages"));

    assertThat(parked).hasSize(1);
    JsonNode message = parked.get(0);
    assertThat(message.path("messageId").asText()).isEqualTo(reply.messageId());
    assertThat(message.path("type").asText()).isEqualTo("payment.PaymentAuthorized");
    assertThat(message.path("sagaId").asText()).isEqualTo(orderId);
    assertThat(message.path("reason").asText()).isEqualTo("DELIVERY_LIMIT");
    assertThat(message.path("body").path("payload").path("paymentId").asText()).isEqualTo("pay-1");
    // looking leaves it parked
    assertThat(get("/ops/parked/" + queue).getBody().path("messages").size()).isEqualTo(1);

    ResponseEntity<JsonNode> redriven =
        post("/ops/parked/" + queue + "/redrive", "{\"limit\": 10, \"reason\": \"outage over\"}");

    assertThat(redriven.getStatusCode().value()).isEqualTo(200);
    assertThat(redriven.getBody().path("redriven").asInt()).isEqualTo(1);
    awaitCommand(shipping, ScheduleShipment.class, orderId);
    assertThat(get("/ops/parked/" + queue).getBody().path("messages").size()).isZero();
    JsonNode entry = iterate(get("/ops/audit?action=redrive").getBody().path("items")).get(0);
    assertThat(entry.path("queue").asText()).isEqualTo(queue);
    assertThat(entry.path("orderIds").get(0).asText()).isEqualTo(orderId);
    assertThat(entry.path("reason").asText()).isEqualTo("outage over");
    assertThat(entry.path("result").path("messageIds").get(0).asText())
        .isEqualTo(reply.messageId());
  }

  @Test
  void anUndecodableMessageParkedByTheEngineShowsWhy() {
    publisher.publish(
        "",
        topology.name(SagaChannels.EVENT_QUEUE),
        MessageProperties.PERSISTENT_BASIC.builder().messageId("garbage-1").build(),
        "this is not an envelope".getBytes(StandardCharsets.UTF_8),
        "garbage");

    await()
        .atMost(LONG)
        .untilAsserted(
            () ->
                assertThat(
                        iterate(
                            get("/ops/parked/" + SagaChannels.EVENT_QUEUE)
                                .getBody()
                                .path("messages")))
                    .anySatisfy(
                        m -> {
                          assertThat(m.path("messageId").asText()).isEqualTo("garbage-1");
                          assertThat(m.path("reason").asText()).isEqualTo("UNDECODABLE");
                          assertThat(m.path("detail").asText()).isEqualTo("MALFORMED_JSON");
                          assertThat(m.path("bodyText").asText())
                              .isEqualTo("this is not an envelope");
                          assertThat(m.path("parkedBy").asText()).isEqualTo("saga-engine");
                        }));
  }

  @Test
  void everyQueueIsListedWithItsParkedCountTheNonEmptyOnesFirst() throws Exception {
    try (Channel channel = connection.createChannel()) {
      for (Topology.QueueSpec queue : topology.queues()) {
        channel.queuePurge(topology.parkingQueue(queue.baseName()));
      }
    }
    for (int i = 0; i < 3; i++) {
      parkStraight(
          ShippingChannels.COMMAND_QUEUE,
          TestMessages.envelope(
              new CancelShipment(UUID.randomUUID().toString(), "key-" + i, "shp-" + i)));
    }
    parkStraight(OrderChannels.COMMAND_QUEUE, TestMessages.approveOrder());

    ResponseEntity<JsonNode> response = get("/ops/parked");

    assertThat(response.getStatusCode().value()).isEqualTo(200);
    List<JsonNode> queues = iterate(response.getBody().path("queues"));
    assertThat(queues)
        .extracting(q -> q.path("queue").asText())
        .containsExactlyInAnyOrderElementsOf(
            topology.queues().stream().map(Topology.QueueSpec::baseName).toList());
    assertThat(queues.get(0).path("queue").asText()).isEqualTo(ShippingChannels.COMMAND_QUEUE);
    assertThat(queues.get(0).path("parked").asLong()).isEqualTo(3);
    assertThat(queues.get(0).path("parkingQueue").asText())
        .isEqualTo(topology.parkingQueue(ShippingChannels.COMMAND_QUEUE));
    assertThat(queues.get(0).path("missing").asBoolean()).isFalse();
    assertThat(queues.get(1).path("queue").asText()).isEqualTo(OrderChannels.COMMAND_QUEUE);
    assertThat(queues.get(1).path("parked").asLong()).isEqualTo(1);
    assertThat(queues.subList(2, queues.size()))
        .allSatisfy(q -> assertThat(q.path("parked").asLong()).isZero());
    assertThat(response.getBody().path("total").asLong()).isEqualTo(4);

    // a re-drive takes them out of the count
    assertThat(
            post(
                    "/ops/parked/" + ShippingChannels.COMMAND_QUEUE + "/redrive",
                    "{\"limit\": 2, \"reason\": \"carrier back\"}")
                .getBody()
                .path("redriven")
                .asInt())
        .isEqualTo(2);
    assertThat(parkedCount(ShippingChannels.COMMAND_QUEUE)).isEqualTo(1);
    assertThat(get("/ops/parked").getBody().path("total").asLong()).isEqualTo(2);
  }

  /**
   * A look at fewer than all parked messages, and a re-drive of fewer than all, keep the queue's
   * order: the re-drive takes the oldest and reports those (RabbitMQ 3.x puts a quorum queue's
   * returned messages at its back, so a partial look used to move them behind the rest).
   */
  @Test
  void aReDriveOfFewerThanAllTakesTheOldestAndSaysWhichWent() throws Exception {
    String queue = ShippingChannels.COMMAND_QUEUE;
    try (Channel channel = connection.createChannel()) {
      channel.queuePurge(topology.parkingQueue(queue));
    }
    List<Envelope<CancelShipment>> parked = new java.util.ArrayList<>();
    for (int i = 0; i < 3; i++) {
      Envelope<CancelShipment> cancel =
          TestMessages.envelope(
              new CancelShipment(UUID.randomUUID().toString(), "key-" + i, "shp-" + i));
      parked.add(cancel);
      parkStraight(queue, cancel);
    }
    List<String> ids = parked.stream().map(Envelope::messageId).toList();

    // looking at the oldest one, twice, shows the same one and leaves the order as it was
    assertThat(messageIds(get("/ops/parked/" + queue + "?limit=1").getBody()))
        .containsExactly(ids.get(0));
    assertThat(messageIds(get("/ops/parked/" + queue + "?limit=1").getBody()))
        .containsExactly(ids.get(0));
    assertThat(messageIds(get("/ops/parked/" + queue).getBody())).isEqualTo(ids);

    ResponseEntity<JsonNode> redriven =
        post("/ops/parked/" + queue + "/redrive", "{\"limit\": 1, \"reason\": \"oldest\"}");

    assertThat(redriven.getBody().path("redriven").asInt()).isEqualTo(1);
    assertThat(messageIds(redriven.getBody()).get(0)).isEqualTo(ids.get(0));
    assertThat(awaitCommand(shipping, CancelShipment.class, parked.get(0).sagaId()).messageId())
        .isEqualTo(ids.get(0));
    assertThat(messageIds(get("/ops/parked/" + queue).getBody()))
        .containsExactly(ids.get(1), ids.get(2));
    JsonNode entry = iterate(get("/ops/audit?action=redrive").getBody().path("items")).get(0);
    assertThat(iterate(entry.path("result").path("messageIds")))
        .extracting(JsonNode::asText)
        .containsExactly(ids.get(0));
  }

  /**
   * The broker counts only ready messages, and a look takes the parked ones off the queue for a
   * moment: a count while the console looks at the same queue (its refresh does both at once) must
   * still count every parked message.
   */
  @Test
  void aCountWhileAnotherRequestLooksAtTheQueueCountsEveryParkedMessage() throws Exception {
    String queue = ShippingChannels.COMMAND_QUEUE;
    try (Channel channel = connection.createChannel()) {
      channel.queuePurge(topology.parkingQueue(queue));
    }
    for (int i = 0; i < 2; i++) {
      parkStraight(
          queue,
          TestMessages.envelope(
              new CancelShipment(UUID.randomUUID().toString(), "key-" + i, "shp-" + i)));
    }
    await().until(() -> parkedCount(queue) == 2);

    List<Long> counts =
        Concurrently.run(
                2,
                worker -> {
                  List<Long> seen = new java.util.ArrayList<>();
                  for (int i = 0; i < 15; i++) {
                    if (worker == 0) {
                      assertThat(messageIds(get("/ops/parked/" + queue).getBody())).hasSize(2);
                    } else {
                      seen.add(parkedCount(queue));
                    }
                  }
                  return seen;
                })
            .stream()
            .flatMap(List::stream)
            .toList();

    assertThat(counts).hasSize(15).containsOnly(2L);
  }

  private static List<String> messageIds(JsonNode list) {
    return iterate(list.path("messages")).stream().map(m -> m.path("messageId").asText()).toList();
  }

  @Test
  void aMissingParkingQueueCountsZeroAndSaysSo() throws Exception {
    String missing = NotificationChannels.COMMAND_QUEUE;
    try (Channel channel = connection.createChannel()) {
      channel.queueDelete(topology.parkingQueue(missing));
    }
    try {
      ResponseEntity<JsonNode> response = get("/ops/parked");

      assertThat(response.getStatusCode().value()).isEqualTo(200);
      JsonNode gone =
          iterate(response.getBody().path("queues")).stream()
              .filter(q -> q.path("queue").asText().equals(missing))
              .findFirst()
              .orElseThrow();
      assertThat(gone.path("missing").asBoolean()).isTrue();
      assertThat(gone.path("parked").asLong()).isZero();
      // the queues after it are still counted (the broker closed the channel over the missing one)
      assertThat(iterate(response.getBody().path("queues")))
          .filteredOn(q -> !q.path("queue").asText().equals(missing))
          .allSatisfy(q -> assertThat(q.path("missing").asBoolean()).isFalse())
          .hasSize(topology.queues().size() - 1);
      // its messages: a 404 problem, not a failure
      ResponseEntity<JsonNode> look = get("/ops/parked/" + missing);
      assertThat(look.getStatusCode().value()).isEqualTo(404);
      assertThat(look.getHeaders().getContentType()).hasToString("application/problem+json");
      assertThat(look.getBody().path("detail").asText()).contains("does not exist");
    } finally {
      topology.declare(connection);
    }
  }

  @Test
  void theQueueListingTakesNoParameters() {
    assertBadRequest(get("/ops/parked?limit=5"), "limit");
  }

  /**
   * Puts a message straight into a parking queue, with the headers a consumer writes; a command the
   * test's probes can decode once re-driven.
   */
  private void parkStraight(String queue, Envelope<?> envelope) {
    publisher.publish(
        "",
        topology.parkingQueue(queue),
        MessageProperties.PERSISTENT_BASIC
            .builder()
            .messageId(envelope.messageId())
            .type(envelope.type())
            .contentType("application/json")
            .headers(
                Map.of(
                    ParkingHeaders.REASON,
                    "REJECTED",
                    ParkingHeaders.ORIGINAL_QUEUE,
                    topology.name(queue),
                    ParkingHeaders.SERVICE,
                    "test"))
            .build(),
        codec.encode(envelope),
        envelope.type());
  }

  private long parkedCount(String queue) {
    return iterate(get("/ops/parked").getBody().path("queues")).stream()
        .filter(q -> q.path("queue").asText().equals(queue))
        .findFirst()
        .orElseThrow()
        .path("parked")
        .asLong();
  }

  private AMQP.BasicProperties properties(
      String messageId, String type, String sagaId, String parkedReason) {
    return MessageProperties.PERSISTENT_BASIC
        .builder()
        .messageId(messageId)
        .type(type)
        .contentType("application/json")
        .headers(
            Map.of(
                ConfirmingPublisher.SAGA_ID_HEADER,
                sagaId,
                "x-parked-reason",
                parkedReason,
                "x-original-queue",
                topology.name(SagaChannels.EVENT_QUEUE)))
        .build();
  }
}
