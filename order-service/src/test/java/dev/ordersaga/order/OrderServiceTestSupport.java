package dev.ordersaga.order;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.mongodb.client.MongoDatabase;
import com.rabbitmq.client.Connection;
import dev.ordersaga.messaging.Envelope;
import dev.ordersaga.messaging.Message;
import dev.ordersaga.messaging.codec.WireCodec;
import dev.ordersaga.messaging.contracts.saga.SagaChannels;
import dev.ordersaga.messaging.rabbit.ConfirmingPublisher;
import dev.ordersaga.messaging.rabbit.Topology;
import dev.ordersaga.messaging.testing.QueueProbe;
import dev.ordersaga.messaging.testing.TestInfrastructure;
import dev.ordersaga.messaging.testing.TestMessages;
import dev.ordersaga.order.orders.OrderStore;
import dev.ordersaga.order.outbox.OutboxMarkers;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;
import org.awaitility.Awaitility;
import org.bson.Document;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.http.HttpEntity;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.test.context.ContextConfiguration;

/**
 * What the order-service integration tests share: the app on a random port against the real
 * RabbitMQ (a namespace of its own) and an in-memory store, with three shopper accounts; an HTTP
 * client signed in as shopper {@value #SHOPPER} (customer {@value #CUSTOMER_ID}), the app's
 * publisher to send it commands, and a probe on saga-engine's event queue to read what it
 * publishes. Tracing is on, as in production (a Spring Boot test turns it off unless asked).
 */
@AutoConfigureObservability(metrics = false)
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "spring.config.name=" + OrderServiceApplication.NAME,
      "order-service.security.shoppers[0].username=" + OrderServiceTestSupport.SHOPPER,
      "order-service.security.shoppers[0].password=" + OrderServiceTestSupport.PASSWORD,
      "order-service.security.shoppers[0].customer-id=" + OrderServiceTestSupport.CUSTOMER_ID,
      "order-service.security.shoppers[1].username=" + OrderServiceTestSupport.OTHER_SHOPPER,
      "order-service.security.shoppers[1].password=" + OrderServiceTestSupport.OTHER_PASSWORD,
      "order-service.security.shoppers[1].customer-id=" + OrderServiceTestSupport.OTHER_CUSTOMER_ID,
      // a customer id of its own for tests that list every order of the customer
      "order-service.security.shoppers[2].username=" + OrderServiceTestSupport.LISTING_SHOPPER,
      "order-service.security.shoppers[2].password=" + OrderServiceTestSupport.PASSWORD
    })
@ContextConfiguration(initializers = TestInfrastructure.class)
public abstract class OrderServiceTestSupport {

  protected static final ObjectMapper JSON = new ObjectMapper();

  protected static final String SHOPPER = "jiwoo";
  protected static final String PASSWORD = "jiwoo-test-password";
  protected static final String CUSTOMER_ID = "c-42";
  protected static final String OTHER_SHOPPER = "minho";
  protected static final String OTHER_PASSWORD = "minho-test-password";
  protected static final String OTHER_CUSTOMER_ID = "c-77";

  /** A shopper without a customer id setting: its customer id is its user name. */
  protected static final String LISTING_SHOPPER = "sora";

  /** No credentials at all. */
  @Autowired protected TestRestTemplate anonymous;

  /** Signed in as {@value #SHOPPER}. */
  protected TestRestTemplate http;

  @Autowired protected ConfirmingPublisher publisher;
  @Autowired protected OrderStore store;
  @Autowired protected MongoDatabase database;
  @Autowired private Connection connection;
  @Autowired private Topology topology;
  @Autowired private WireCodec codec;

  /** What the app publishes to saga-engine, read by this test only. */
  protected QueueProbe events;

  @BeforeEach
  void openProbe() {
    http = anonymous.withBasicAuth(SHOPPER, PASSWORD);
    events = new QueueProbe(connection, topology, SagaChannels.EVENT_QUEUE, codec);
  }

  /** A valid order request: 2 x 12.50 (a JSON number) + 3 x 0.10 (a string) EUR = 25.30 EUR. */
  protected static ObjectNode validRequest() {
    ObjectNode request = JSON.createObjectNode();
    request.put("customerId", CUSTOMER_ID);
    request.put("customerEmail", "jiwoo@example.com");
    request.put("locale", "ko");
    request.put("currency", "EUR");
    ArrayNode items = request.putArray("items");
    items.addObject().put("sku", "MUG-1").put("quantity", 2).put("unitPrice", 12.5);
    items.addObject().put("sku", "TEA-7").put("quantity", 3).put("unitPrice", "0.10");
    request
        .putObject("shippingAddress")
        .put("name", "Jiwoo Kim")
        .put("line1", "12 Sejong-daero")
        .put("line2", "Apt 301")
        .put("city", "Seoul")
        .put("postalCode", "04524")
        .put("country", "KR");
    request.putObject("paymentMethod").put("token", "tok_visa_4242");
    return request;
  }

  protected ResponseEntity<JsonNode> postJson(String path, String body, String idempotencyKey) {
    HttpHeaders headers = new HttpHeaders();
    headers.setContentType(MediaType.APPLICATION_JSON);
    if (idempotencyKey != null) {
      headers.set("Idempotency-Key", idempotencyKey);
    }
    return http.exchange(path, HttpMethod.POST, new HttpEntity<>(body, headers), JsonNode.class);
  }

  protected ResponseEntity<JsonNode> placeOrder(ObjectNode request, String idempotencyKey) {
    return postJson("/orders", request.toString(), idempotencyKey);
  }

  /** Places a valid order and returns its id, once its OrderPlaced has gone out. */
  protected String placedOrder() {
    ResponseEntity<JsonNode> response = placeOrder(validRequest(), null);
    assertThat(response.getStatusCode()).isEqualTo(HttpStatus.CREATED);
    String orderId = response.getBody().get("orderId").asText();
    awaitOutboxEmpty(orderId);
    return orderId;
  }

  protected ResponseEntity<JsonNode> getOrder(String orderId) {
    return http.getForEntity("/orders/" + orderId, JsonNode.class);
  }

  protected ResponseEntity<JsonNode> cancel(String orderId) {
    return http.exchange(
        "/orders/" + orderId + "/cancel", HttpMethod.POST, HttpEntity.EMPTY, JsonNode.class);
  }

  /** Sends a command to the app as saga-engine would, and returns its envelope. */
  protected <T extends Message> Envelope<T> send(T command) {
    Envelope<T> envelope = TestMessages.envelope(command);
    publisher.publish(envelope);
    return envelope;
  }

  /** Waits until every outbox message of the order is confirmed and removed, with its marker. */
  protected void awaitOutboxEmpty(String orderId) {
    Awaitility.await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () -> store.find(orderId).orElseThrow().outbox().isEmpty() && markersOf(orderId) == 0);
  }

  /** How many outbox markers name the order (a test may scan the small markers collection). */
  protected long markersOf(String orderId) {
    return database
        .getCollection(OutboxMarkers.COLLECTION)
        .countDocuments(new Document("orderId", orderId));
  }

  /** The envelopes of one type received so far that match. */
  protected <T extends Message> List<Envelope<Message>> received(
      Class<T> type, Predicate<T> matching) {
    return events.received().stream()
        .filter(e -> type.isInstance(e.payload()))
        .filter(e -> matching.test(type.cast(e.payload())))
        .toList();
  }

  protected static void assertProblem(ResponseEntity<JsonNode> response, HttpStatus status) {
    assertThat(response.getStatusCode()).isEqualTo(status);
    assertThat(response.getHeaders().getContentType())
        .isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
    assertThat(response.getBody().get("status").asInt()).isEqualTo(status.value());
    assertThat(response.getBody().get("title").asText()).isNotBlank();
    assertThat(response.getBody().has("trace")).isFalse();
  }
}
