package dev.ordersaga.saga.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.MessageProperties;
import dev.ordersaga.messaging.Envelope;
import dev.ordersaga.messaging.contracts.payment.AuthorizePayment;
import dev.ordersaga.messaging.contracts.payment.PaymentAuthorized;
import dev.ordersaga.messaging.contracts.saga.SagaChannels;
import dev.ordersaga.messaging.contracts.shipping.ScheduleShipment;
import dev.ordersaga.messaging.rabbit.ConfirmingPublisher;
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
                          assertThat(m.path("bodyText").asText())
                              .isEqualTo("this is not an envelope");
                          assertThat(m.path("parkedBy").asText()).isEqualTo("saga-engine");
                        }));
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
