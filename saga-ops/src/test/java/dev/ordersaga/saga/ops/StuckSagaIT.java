package dev.ordersaga.saga.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.rabbitmq.client.Connection;
import dev.ordersaga.messaging.Envelope;
import dev.ordersaga.messaging.codec.WireCodec;
import dev.ordersaga.messaging.contracts.payment.AuthorizePayment;
import dev.ordersaga.messaging.contracts.payment.PaymentChannels;
import dev.ordersaga.messaging.rabbit.ConfirmingPublisher;
import dev.ordersaga.messaging.rabbit.Topology;
import dev.ordersaga.messaging.testing.QueueProbe;
import dev.ordersaga.messaging.testing.TestInfrastructure;
import dev.ordersaga.messaging.testing.TestMessages;
import dev.ordersaga.saga.SagaEngineApplication;
import dev.ordersaga.saga.runtime.SagaTimers;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.http.HttpEntity;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.test.context.ContextConfiguration;

/**
 * A saga whose deadline document is lost never times out; the stuck scan finds it from the deadline
 * the saga published on the status board. The deadline poller runs once at start and then not for
 * an hour here, so deleting the document cannot race a deadline that fires.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "spring.config.name=" + SagaEngineApplication.NAME,
      "saga.step-timeout=1s",
      "saga.max-step-timeout=1s",
      "saga.deadline-poll-interval=1h",
      "saga.ops.stuck-margin=500ms",
      "saga.ops.stuck-scan-interval=200ms",
      "saga.security.operator.password=" + StuckSagaIT.PASSWORD,
      "saga.security.analyst.password=test-analyst"
    })
@ContextConfiguration(initializers = TestInfrastructure.class)
class StuckSagaIT {

  static final String PASSWORD = "test-operator";

  @Autowired ConfirmingPublisher publisher;
  @Autowired Connection connection;
  @Autowired Topology topology;
  @Autowired WireCodec codec;
  @Autowired TestRestTemplate http;
  @Autowired MongoDatabase database;
  @Autowired MeterRegistry meters;

  @Test
  void aSagaWhoseDeadlineWasLostIsFlaggedStuckAndARetryGetsItGoingAgain() {
    QueueProbe payments =
        new QueueProbe(connection, topology, PaymentChannels.COMMAND_QUEUE, codec);
    String customer = "stuck-" + UUID.randomUUID();
    String orderId = UUID.randomUUID().toString();
    publisher.publish(TestMessages.envelope(OpsTestSupport.placed(orderId, customer)));
    Envelope<AuthorizePayment> first =
        payments.awaitEnvelope(AuthorizePayment.class, c -> c.orderId().equals(orderId));

    // the saga sets the deadline just after it sends the command: delete it once it is there
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                database
                        .getCollection(SagaTimers.COLLECTION)
                        .deleteOne(Filters.eq("_id", orderId))
                        .getDeletedCount()
                    == 1);

    await()
        .atMost(Duration.ofSeconds(15))
        .untilAsserted(
            () -> {
              List<JsonNode> stuck = items("/ops/sagas?stuck=true&customerId=" + customer);
              assertThat(stuck).hasSize(1);
              assertThat(stuck.get(0).path("orderId").asText()).isEqualTo(orderId);
              assertThat(stuck.get(0).path("stuck").asBoolean()).isTrue();
              assertThat(stuck.get(0).path("stuckSince").asText()).isNotBlank();
            });
    assertThat(items("/ops/sagas?stuck=false&customerId=" + customer)).isEmpty();
    await().untilAsserted(() -> assertThat(meters.get("saga.stuck").gauge().value()).isPositive());
    assertThat(items("/ops/sagas?customerId=" + customer).get(0).path("attempt").asInt())
        .isEqualTo(1);

    Instant retriedAt = Instant.now();
    ResponseEntity<JsonNode> retried = post("/ops/sagas/" + orderId + "/retry");

    assertThat(retried.getStatusCode().value()).isEqualTo(200);
    assertThat(retried.getBody().path("after").path("attempt").asInt()).isEqualTo(2);
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                assertThat(payments.received())
                    .filteredOn(e -> e.sagaId().equals(orderId))
                    .extracting(Envelope::messageId)
                    .hasSize(2)
                    .doesNotHaveDuplicates()
                    .contains(first.messageId()));
    // re-armed: a new deadline, stored again; the old flag went with the saga's new status (a
    // flag seen now can only be a new one, set after the new deadline passed)
    JsonNode after = items("/ops/sagas?customerId=" + customer).get(0);
    Instant deadline = Instant.parse(after.path("deadlineAt").asText());
    assertThat(deadline).isAfter(retriedAt);
    if (!after.path("stuckSince").isNull()) {
      assertThat(Instant.parse(after.path("stuckSince").asText())).isAfter(deadline);
    }
    assertThat(
            database
                .getCollection(SagaTimers.COLLECTION)
                .countDocuments(Filters.eq("_id", orderId)))
        .isEqualTo(1);
  }

  private List<JsonNode> items(String path) {
    ResponseEntity<JsonNode> response =
        http.withBasicAuth("operator", PASSWORD).getForEntity(path, JsonNode.class);
    assertThat(response.getStatusCode().value()).isEqualTo(200);
    return OpsTestSupport.iterate(response.getBody().path("items"));
  }

  private ResponseEntity<JsonNode> post(String path) {
    HttpHeaders headers = new HttpHeaders();
    headers.setContentType(MediaType.APPLICATION_JSON);
    return http.withBasicAuth("operator", PASSWORD)
        .exchange(
            path,
            HttpMethod.POST,
            new HttpEntity<>("{\"reason\": \"its deadline was lost\"}", headers),
            JsonNode.class);
  }
}
