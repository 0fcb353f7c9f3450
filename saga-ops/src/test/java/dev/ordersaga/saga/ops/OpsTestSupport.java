package dev.ordersaga.saga.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.mongodb.client.MongoDatabase;
import com.rabbitmq.client.Connection;
import dev.ordersaga.messaging.Envelope;
import dev.ordersaga.messaging.Message;
import dev.ordersaga.messaging.codec.WireCodec;
import dev.ordersaga.messaging.contracts.Address;
import dev.ordersaga.messaging.contracts.Customer;
import dev.ordersaga.messaging.contracts.LineItem;
import dev.ordersaga.messaging.contracts.Money;
import dev.ordersaga.messaging.contracts.notification.NotificationChannels;
import dev.ordersaga.messaging.contracts.order.OrderChannels;
import dev.ordersaga.messaging.contracts.order.OrderPlaced;
import dev.ordersaga.messaging.contracts.payment.PaymentChannels;
import dev.ordersaga.messaging.contracts.shipping.ShippingChannels;
import dev.ordersaga.messaging.rabbit.ConfirmingPublisher;
import dev.ordersaga.messaging.rabbit.Topology;
import dev.ordersaga.messaging.testing.QueueProbe;
import dev.ordersaga.messaging.testing.TestInfrastructure;
import dev.ordersaga.messaging.testing.TestMessages;
import dev.ordersaga.saga.SagaEngineApplication;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeEach;
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
 * saga-engine over the real broker and store, driven through the operator API, with the test
 * playing every participant (as in {@code OrderSagaIT}). The operator tests share this one
 * application context.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "spring.config.name=" + SagaEngineApplication.NAME,
      "saga.step-timeout=2s",
      "saga.max-step-timeout=3s",
      "saga.max-attempts=3",
      "saga.deadline-poll-interval=50ms",
      "saga.security.operator.password=" + OpsTestSupport.OPERATOR_PASSWORD,
      "saga.security.analyst.password=test-analyst"
    })
@ContextConfiguration(initializers = TestInfrastructure.class)
abstract class OpsTestSupport {

  static final String OPERATOR_PASSWORD = "test-operator";
  static final Duration LONG = Duration.ofSeconds(30);

  @Autowired ConfirmingPublisher publisher;
  @Autowired Connection connection;
  @Autowired Topology topology;
  @Autowired WireCodec codec;
  @Autowired TestRestTemplate http;
  @Autowired MongoDatabase database;
  @Autowired ObjectMapper json;

  QueueProbe payments;
  QueueProbe shipping;
  QueueProbe orders;
  QueueProbe notices;

  @BeforeEach
  void probes() {
    payments = new QueueProbe(connection, topology, PaymentChannels.COMMAND_QUEUE, codec);
    shipping = new QueueProbe(connection, topology, ShippingChannels.COMMAND_QUEUE, codec);
    orders = new QueueProbe(connection, topology, OrderChannels.COMMAND_QUEUE, codec);
    notices = new QueueProbe(connection, topology, NotificationChannels.COMMAND_QUEUE, codec);
  }

  // ---------------------------------------------------------------- participants

  String placeOrder(String customerId) {
    String orderId = UUID.randomUUID().toString();
    publisher.publish(TestMessages.envelope(placed(orderId, customerId)));
    return orderId;
  }

  static OrderPlaced placed(String orderId, String customerId) {
    return new OrderPlaced(
        orderId,
        new Customer(customerId, customerId + "@Example.com", "ko"),
        List.of(new LineItem("MUG-01", 2, Money.of("16.50", "EUR"))),
        Money.of("33.00", "EUR"),
        new Address("Kim Minji", "12 Sejong-daero", null, "Seoul", "04524", "KR"),
        "pm_card_visa");
  }

  static <T extends Message> Envelope<T> awaitCommand(
      QueueProbe probe, Class<T> type, String orderId) {
    return awaitCommand(probe, type, orderId, command -> true);
  }

  static <T extends Message> Envelope<T> awaitCommand(
      QueueProbe probe, Class<T> type, String orderId, Predicate<Envelope<Message>> matching) {
    return awaitLast(probe, type, orderId, matching);
  }

  /** The newest command of that type for the order that matches, once one has arrived. */
  static <T extends Message> Envelope<T> awaitLast(
      QueueProbe probe, Class<T> type, String orderId, Predicate<Envelope<Message>> matching) {
    return probe.awaitLatest(type, orderId, matching, LONG);
  }

  <C extends Message, R extends Message> void reply(Envelope<C> command, R reply) {
    publisher.publish(command.reply(UUID.randomUUID().toString(), Instant.now(), reply));
  }

  // ---------------------------------------------------------------- operator API

  TestRestTemplate operator() {
    return http.withBasicAuth("operator", OPERATOR_PASSWORD);
  }

  ResponseEntity<JsonNode> post(String path, String body) {
    HttpHeaders headers = new HttpHeaders();
    headers.setContentType(MediaType.APPLICATION_JSON);
    return operator()
        .exchange(path, HttpMethod.POST, new HttpEntity<>(body, headers), JsonNode.class);
  }

  ResponseEntity<JsonNode> get(String path) {
    return operator().exchange(path, HttpMethod.GET, null, JsonNode.class);
  }

  JsonNode saga(String orderId) {
    ResponseEntity<JsonNode> response = get("/ops/sagas/" + orderId);
    assertThat(response.getStatusCode().value()).isEqualTo(200);
    return response.getBody();
  }

  JsonNode status(String orderId) {
    return saga(orderId).path("status");
  }

  void awaitState(String orderId, String state) {
    await()
        .atMost(LONG)
        .untilAsserted(
            () ->
                assertThat(
                        get("/ops/sagas/" + orderId)
                            .getBody()
                            .path("status")
                            .path("state")
                            .asText())
                    .isEqualTo(state));
  }

  /** The order's audit entries, newest first. */
  List<JsonNode> audit(String orderId) {
    ResponseEntity<JsonNode> response = get("/ops/audit?orderId=" + orderId);
    assertThat(response.getStatusCode().value()).isEqualTo(200);
    return iterate(response.getBody().path("items"));
  }

  static List<JsonNode> iterate(JsonNode array) {
    return java.util.stream.StreamSupport.stream(array.spliterator(), false).toList();
  }

  /** Checks a 400 problem naming the field. */
  static void assertBadRequest(ResponseEntity<JsonNode> response, String field) {
    assertThat(response.getStatusCode().value()).isEqualTo(400);
    assertThat(response.getHeaders().getContentType()).hasToString("application/problem+json");
    assertThat(response.getBody().path("errors").findValuesAsText("field")).containsExactly(field);
    assertThat(response.getBody().path("detail").asText()).startsWith(field + " ");
  }

  static String reason(String text) {
    return "{\"reason\": \"" + text + "\"}";
  }
}
