package dev.ordersaga.order.shopper;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ordersaga.messaging.Envelope;
import dev.ordersaga.messaging.contracts.Address;
import dev.ordersaga.messaging.contracts.Customer;
import dev.ordersaga.messaging.contracts.LineItem;
import dev.ordersaga.messaging.contracts.Money;
import dev.ordersaga.messaging.contracts.order.OrderPlaced;
import dev.ordersaga.messaging.testing.RawHttp;
import dev.ordersaga.order.OrderServiceTestSupport;
import dev.ordersaga.order.placing.OrderPlacement;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpEntity;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;

class PlaceOrderIT extends OrderServiceTestSupport {

  @Autowired private MeterRegistry meters;
  @LocalServerPort private int port;

  @Test
  void placesAnOrderAndPublishesOneOrderPlaced() {
    ResponseEntity<JsonNode> created = placeOrder(validRequest(), null);

    assertThat(created.getStatusCode()).isEqualTo(HttpStatus.CREATED);
    String orderId = created.getBody().get("orderId").asText();
    assertThat(UUID.fromString(orderId)).isNotNull();
    assertThat(created.getBody().get("status").asText()).isEqualTo("PENDING");
    assertThat(created.getHeaders().getLocation()).hasToString("/orders/" + orderId);
    assertThat(created.getHeaders().containsKey("Idempotent-Replayed")).isFalse();

    ResponseEntity<JsonNode> order =
        http.getForEntity(created.getHeaders().getLocation().toString(), JsonNode.class);
    assertThat(order.getStatusCode()).isEqualTo(HttpStatus.OK);
    assertThat(order.getBody().get("orderId").asText()).isEqualTo(orderId);
    assertThat(order.getBody().get("status").asText()).isEqualTo("PENDING");
    assertThat(order.getBody().get("total").get("amount").asText()).isEqualTo("25.30");
    assertThat(order.getBody().get("total").get("currency").asText()).isEqualTo("EUR");
    assertThat(order.getBody().has("reason")).isFalse();
    assertThat(order.getBody().get("updatedAt").asText()).isNotBlank();

    Envelope<OrderPlaced> envelope =
        events.awaitEnvelope(OrderPlaced.class, placed -> placed.orderId().equals(orderId));
    OrderPlaced placed = envelope.payload();
    assertThat(placed.customer()).isEqualTo(new Customer("c-42", "jiwoo@example.com", "ko"));
    assertThat(placed.items())
        .containsExactly(
            new LineItem("MUG-1", 2, Money.of("12.50", "EUR")),
            new LineItem("TEA-7", 3, Money.of("0.10", "EUR")));
    assertThat(placed.total()).isEqualTo(Money.of("25.30", "EUR"));
    assertThat(placed.shippingAddress())
        .isEqualTo(new Address("Jiwoo Kim", "12 Sejong-daero", "Apt 301", "Seoul", "04524", "KR"));
    assertThat(placed.paymentToken()).isEqualTo("tok_visa_4242");
    assertThat(envelope.sagaId()).isEqualTo(orderId);
    assertThat(envelope.messageId()).isEqualTo(OrderPlacement.orderPlacedMessageId(orderId));
    assertThat(envelope.trace()).containsKey("traceparent");

    awaitOutboxEmpty(orderId);
    assertThat(received(OrderPlaced.class, p -> p.orderId().equals(orderId))).hasSize(1);
  }

  @Test
  void carriesTheShoppersTraceContext() {
    String traceparent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
    // a plain client: the test's RestTemplate would put its own span's context in the header
    RawHttp.Response created =
        new RawHttp(port, SHOPPER, PASSWORD)
            .request("POST", "/orders")
            .header("Content-Type", "application/json")
            .header("traceparent", traceparent)
            .body(validRequest().toString())
            .send();

    assertThat(created.status()).isEqualTo(201);
    String orderId = created.json().get("orderId").asText();
    Envelope<OrderPlaced> envelope =
        events.awaitEnvelope(OrderPlaced.class, placed -> placed.orderId().equals(orderId));
    // the shopper's trace, one span down: the request's server span is the OrderPlaced's parent
    assertThat(envelope.trace().get("traceparent"))
        .startsWith("00-4bf92f3577b34da6a3ce929d0e0e4736-")
        .doesNotContain("-00f067aa0ba902b7-");
  }

  @Test
  void countsPlacedOrdersByCurrency() {
    ObjectNode request = validRequest();
    request.put("currency", "KRW");
    request.putArray("items").addObject().put("sku", "A").put("quantity", 1).put("unitPrice", 9900);
    double before = placedCount("KRW");

    assertThat(placeOrder(request, null).getStatusCode()).isEqualTo(HttpStatus.CREATED);

    assertThat(placedCount("KRW")).isEqualTo(before + 1);
  }

  @Test
  void answersTheSameOrderToTheSameKeyAndRequestAndPublishesOnce() {
    String key = UUID.randomUUID().toString();
    ObjectNode request = validRequest();
    ResponseEntity<JsonNode> first = placeOrder(request, key);
    String orderId = first.getBody().get("orderId").asText();
    awaitOutboxEmpty(orderId);

    // the same request, written differently: 12.50 as a string, 0.1 as a number
    ((ObjectNode) request.get("items").get(0)).put("unitPrice", "12.50");
    ((ObjectNode) request.get("items").get(1)).put("unitPrice", new BigDecimal("0.1"));
    ResponseEntity<JsonNode> second = placeOrder(request, key);

    assertThat(first.getStatusCode()).isEqualTo(HttpStatus.CREATED);
    assertThat(second.getStatusCode()).isEqualTo(HttpStatus.CREATED);
    assertThat(second.getBody().get("orderId").asText()).isEqualTo(orderId);
    assertThat(second.getHeaders().getLocation()).isEqualTo(first.getHeaders().getLocation());
    assertThat(second.getHeaders().getFirst("Idempotent-Replayed")).isEqualTo("true");
    assertThat(store.find(orderId).orElseThrow().outbox()).isEmpty();
    events.await(OrderPlaced.class, placed -> placed.orderId().equals(orderId));
    assertThat(received(OrderPlaced.class, p -> p.orderId().equals(orderId))).hasSize(1);
  }

  @Test
  void placesOneOrderForConcurrentRequestsWithTheSameKey() throws Exception {
    String key = UUID.randomUUID().toString();
    String body = validRequest().toString();
    ExecutorService shoppers = Executors.newFixedThreadPool(4);
    try {
      List<CompletableFuture<ResponseEntity<JsonNode>>> responses = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        responses.add(
            CompletableFuture.supplyAsync(() -> postJson("/orders", body, key), shoppers));
      }
      Set<String> orderIds = new java.util.HashSet<>();
      for (CompletableFuture<ResponseEntity<JsonNode>> response : responses) {
        assertThat(response.get().getStatusCode()).isEqualTo(HttpStatus.CREATED);
        orderIds.add(response.get().getBody().get("orderId").asText());
      }
      assertThat(orderIds).hasSize(1);
      String orderId = orderIds.iterator().next();
      awaitOutboxEmpty(orderId);
      events.await(OrderPlaced.class, placed -> placed.orderId().equals(orderId));
      assertThat(received(OrderPlaced.class, p -> p.orderId().equals(orderId))).hasSize(1);
    } finally {
      shoppers.shutdownNow();
    }
  }

  @Test
  void refusesTheSameKeyWithADifferentRequest() {
    String key = UUID.randomUUID().toString();
    ResponseEntity<JsonNode> first = placeOrder(validRequest(), key);
    ObjectNode changed = validRequest();
    ((ObjectNode) changed.get("items").get(0)).put("quantity", 5);

    ResponseEntity<JsonNode> second = placeOrder(changed, key);

    assertThat(first.getStatusCode()).isEqualTo(HttpStatus.CREATED);
    assertProblem(second, HttpStatus.CONFLICT);
    assertThat(second.getBody().get("type").asText()).endsWith("idempotency-key-reused");
    assertThat(second.getBody().get("detail").asText()).contains(key);
  }

  static Stream<Arguments> invalidRequests() {
    return Stream.of(
        bad("missing field", r -> r.remove("currency"), "currency"),
        bad("blank customer id", r -> r.put("customerId", " "), "customerId"),
        bad("zero quantity", r -> line(r).put("quantity", 0), "items[0].quantity"),
        bad("negative quantity", r -> line(r).put("quantity", -1), "items[0].quantity"),
        bad("quantity too large", r -> line(r).put("quantity", 1001), "items[0].quantity"),
        bad("zero price", r -> line(r).put("unitPrice", "0.00"), "items[0].unitPrice"),
        bad("negative price", r -> line(r).put("unitPrice", -5), "items[0].unitPrice"),
        bad("price too large", r -> line(r).put("unitPrice", 1000001), "items[0].unitPrice"),
        bad("too many decimals", r -> line(r).put("unitPrice", "12.345"), "items[0].unitPrice"),
        bad("too many lines", PlaceOrderIT::tooManyLines, "items"),
        bad("total too large", PlaceOrderIT::totalTooLarge, "items"),
        bad("unknown currency", r -> r.put("currency", "EUX"), "currency"),
        bad("unknown locale", r -> r.put("locale", "ja"), "locale"),
        bad("bad e-mail", r -> r.put("customerEmail", "jiwoo@"), "customerEmail"),
        bad("bad country", r -> address(r).put("country", "Korea"), "shippingAddress.country"),
        bad("unknown field", r -> r.put("giftWrap", true), "giftWrap"),
        bad("missing token", r -> r.putObject("paymentMethod"), "paymentMethod.token"),
        bad(
            "several at once",
            r -> {
              r.remove("customerEmail");
              line(r).put("quantity", 0);
              address(r).remove("city");
            },
            "customerEmail",
            "items[0].quantity",
            "shippingAddress.city"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalidRequests")
  void answersBadInputWithAProblemNamingEachField(
      String description, Consumer<ObjectNode> change, List<String> fields) {
    ObjectNode request = validRequest();
    change.accept(request);

    ResponseEntity<JsonNode> response = placeOrder(request, null);

    assertProblem(response, HttpStatus.BAD_REQUEST);
    assertThat(response.getBody().get("type").asText()).endsWith("invalid-request");
    assertThat(errorFields(response)).containsExactlyInAnyOrderElementsOf(fields);
    response
        .getBody()
        .get("errors")
        .forEach(e -> assertThat(e.get("message").asText()).isNotBlank());
  }

  @Test
  void answersMalformedAndNonObjectBodiesWithAProblem() {
    assertThat(errorFields(bodyProblem("{\"customerId\": \"c-1\","))).containsExactly("body");
    assertThat(errorFields(bodyProblem("[1, 2]"))).containsExactly("body");
    assertThat(errorFields(bodyProblem(""))).containsExactly("body");
  }

  @Test
  void answersABadIdempotencyKeyWithAProblem() {
    ResponseEntity<JsonNode> response = placeOrder(validRequest(), "has spaces in it");

    assertProblem(response, HttpStatus.BAD_REQUEST);
    assertThat(errorFields(response)).containsExactly("Idempotency-Key");
  }

  @Test
  void answersAnOversizedBodyWith413() {
    String body = validRequest().toString() + " ".repeat(70 * 1024);

    ResponseEntity<JsonNode> response = postJson("/orders", body, null);

    assertProblem(response, HttpStatus.PAYLOAD_TOO_LARGE);
  }

  @Test
  void answersANonJsonBodyWith415() {
    HttpHeaders headers = new HttpHeaders();
    headers.setContentType(MediaType.TEXT_PLAIN);

    ResponseEntity<JsonNode> response =
        http.exchange(
            "/orders",
            HttpMethod.POST,
            new HttpEntity<>(validRequest().toString(), headers),
            JsonNode.class);

    assertProblem(response, HttpStatus.UNSUPPORTED_MEDIA_TYPE);
  }

  @Test
  void answersUnknownOrdersAndPathsWith404() {
    ResponseEntity<JsonNode> unknownOrder = getOrder(UUID.randomUUID().toString());
    ResponseEntity<JsonNode> unknownPath = http.getForEntity("/no-such-thing", JsonNode.class);

    assertProblem(unknownOrder, HttpStatus.NOT_FOUND);
    assertThat(unknownOrder.getBody().get("type").asText()).endsWith("order-not-found");
    assertProblem(unknownPath, HttpStatus.NOT_FOUND);
  }

  private ResponseEntity<JsonNode> bodyProblem(String body) {
    ResponseEntity<JsonNode> response = postJson("/orders", body, null);
    assertProblem(response, HttpStatus.BAD_REQUEST);
    return response;
  }

  private static List<String> errorFields(ResponseEntity<JsonNode> response) {
    List<String> fields = new ArrayList<>();
    response.getBody().get("errors").forEach(error -> fields.add(error.get("field").asText()));
    return fields;
  }

  private double placedCount(String currency) {
    Counter counter = meters.find("orders.placed").tag("currency", currency).counter();
    return counter == null ? 0 : counter.count();
  }

  private static Arguments bad(String description, Consumer<ObjectNode> change, String... fields) {
    return Arguments.of(description, change, Stream.of(fields).collect(Collectors.toList()));
  }

  private static ObjectNode line(ObjectNode request) {
    return (ObjectNode) request.get("items").get(0);
  }

  private static ObjectNode address(ObjectNode request) {
    return (ObjectNode) request.get("shippingAddress");
  }

  private static void tooManyLines(ObjectNode request) {
    ArrayNode items = request.putArray("items");
    for (int i = 0; i < 101; i++) {
      items.addObject().put("sku", "SKU-" + i).put("quantity", 1).put("unitPrice", "1.00");
    }
  }

  private static void totalTooLarge(ObjectNode request) {
    ArrayNode items = request.putArray("items");
    items.addObject().put("sku", "GOLD-1").put("quantity", 1000).put("unitPrice", "60000");
    items.addObject().put("sku", "GOLD-2").put("quantity", 1000).put("unitPrice", "60000");
  }
}
