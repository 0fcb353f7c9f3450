package dev.ordersaga.order.shopper;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ordersaga.messaging.contracts.order.OrderPlaced;
import dev.ordersaga.order.OrderServiceTestSupport;
import dev.ordersaga.order.orders.Order;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.http.HttpEntity;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;

/** Who may do what: sign-in, each shopper acting for its own customer id only, own order lists. */
class ShopperAccessIT extends OrderServiceTestSupport {

  @Test
  void answersEveryShopperEndpointWithoutValidCredentialsWith401() {
    String orderId = placedOrder();
    List<TestRestTemplate> strangers =
        List.of(
            anonymous,
            anonymous.withBasicAuth(SHOPPER, "wrong-password"),
            anonymous.withBasicAuth("nobody", PASSWORD));

    for (TestRestTemplate stranger : strangers) {
      List<ResponseEntity<JsonNode>> answers =
          List.of(
              post(stranger, "/orders", validRequest().toString()),
              stranger.getForEntity("/orders", JsonNode.class),
              stranger.getForEntity("/orders/" + orderId, JsonNode.class),
              post(stranger, "/orders/" + orderId + "/cancel", "{}"));
      for (ResponseEntity<JsonNode> answer : answers) {
        assertProblem(answer, HttpStatus.UNAUTHORIZED);
        assertThat(answer.getHeaders().getFirst(HttpHeaders.WWW_AUTHENTICATE))
            .startsWith("Basic realm=\"order-service\"");
        assertThat(answer.getBody().get("type").asText()).endsWith("unauthorized");
      }
    }
    assertThat(store.find(orderId).orElseThrow().cancellationRequested()).isFalse();
  }

  @Test
  void leavesProbesOpenAndClosesOtherActuatorEndpoints() {
    assertThat(anonymous.getForEntity("/actuator/health", String.class).getStatusCode())
        .isEqualTo(HttpStatus.OK);
    // (Spring Boot tests leave metrics export off, so /actuator/prometheus is not there to ask)
    assertThat(anonymous.getForEntity("/actuator/info", String.class).getStatusCode())
        .isEqualTo(HttpStatus.OK);

    assertProblem(anonymous.getForEntity("/actuator/env", JsonNode.class), HttpStatus.UNAUTHORIZED);
    assertProblem(http.getForEntity("/actuator/env", JsonNode.class), HttpStatus.FORBIDDEN);
  }

  @Test
  void placesAnOrderWithoutACustomerIdForTheShoppersOwnCustomer() {
    ObjectNode request = validRequest();
    request.remove("customerId");

    ResponseEntity<JsonNode> created = placeOrder(request, null);

    assertThat(created.getStatusCode()).isEqualTo(HttpStatus.CREATED);
    String orderId = created.getBody().get("orderId").asText();
    assertThat(store.find(orderId).orElseThrow().customer().customerId()).isEqualTo(CUSTOMER_ID);
    OrderPlaced placed = events.await(OrderPlaced.class, p -> p.orderId().equals(orderId));
    assertThat(placed.customer().customerId()).isEqualTo(CUSTOMER_ID);
  }

  @Test
  void refusesAnOrderForAnotherCustomerWith403NamingCustomerIdAndStoresNothing() {
    ObjectNode request = validRequest();
    request.put("customerId", OTHER_CUSTOMER_ID);
    String key = UUID.randomUUID().toString();

    ResponseEntity<JsonNode> refused = placeOrder(request, key);

    assertProblem(refused, HttpStatus.FORBIDDEN);
    assertThat(refused.getBody().get("type").asText()).endsWith("customer-not-yours");
    assertThat(refused.getBody().get("errors").get(0).get("field").asText())
        .isEqualTo("customerId");
    assertThat(store.findByIdempotencyKey(OTHER_CUSTOMER_ID, key)).isEmpty();
    assertThat(store.findByIdempotencyKey(CUSTOMER_ID, key)).isEmpty();
  }

  @Test
  void hidesAnotherCustomersOrderAsIfItDidNotExist() {
    String orderId = placedOrder();
    TestRestTemplate other = anonymous.withBasicAuth(OTHER_SHOPPER, OTHER_PASSWORD);

    ResponseEntity<JsonNode> read = other.getForEntity("/orders/" + orderId, JsonNode.class);
    ResponseEntity<JsonNode> cancelled = post(other, "/orders/" + orderId + "/cancel", "{}");
    ResponseEntity<JsonNode> unknown =
        other.getForEntity("/orders/" + UUID.randomUUID(), JsonNode.class);

    assertProblem(read, HttpStatus.NOT_FOUND);
    assertProblem(cancelled, HttpStatus.NOT_FOUND);
    // the same answer as for an order that does not exist, so ids cannot be probed
    assertThat(read.getBody().get("type")).isEqualTo(unknown.getBody().get("type"));
    assertThat(read.getBody().get("title")).isEqualTo(unknown.getBody().get("title"));
    Order order = store.find(orderId).orElseThrow();
    assertThat(order.cancellationRequested()).isFalse();
    assertThat(order.outbox()).isEmpty();
    assertThat(getOrder(orderId).getStatusCode()).isEqualTo(HttpStatus.OK);
  }

  @Test
  void givesEachCustomerIdempotencyKeysOfItsOwn() {
    String key = "checkout-1";
    ObjectNode mine = validRequest();
    ObjectNode theirs = validRequest();
    theirs.remove("customerId");
    theirs.put("customerEmail", "minho@example.com");

    ResponseEntity<JsonNode> first = placeOrder(mine, key);
    ResponseEntity<JsonNode> second =
        post(anonymous.withBasicAuth(OTHER_SHOPPER, OTHER_PASSWORD), "/orders", theirs, key);

    assertThat(first.getStatusCode()).isEqualTo(HttpStatus.CREATED);
    assertThat(second.getStatusCode()).isEqualTo(HttpStatus.CREATED);
    assertThat(second.getHeaders().containsKey(OrdersController.REPLAYED_HEADER)).isFalse();
    String firstId = first.getBody().get("orderId").asText();
    String secondId = second.getBody().get("orderId").asText();
    assertThat(secondId).isNotEqualTo(firstId);
    assertThat(store.findByIdempotencyKey(CUSTOMER_ID, key).orElseThrow().orderId())
        .isEqualTo(firstId);
    assertThat(store.findByIdempotencyKey(OTHER_CUSTOMER_ID, key).orElseThrow().orderId())
        .isEqualTo(secondId);
  }

  @Test
  void listsOnlyTheShoppersOwnOrdersNewestFirstAPageAtATime() {
    TestRestTemplate sora = anonymous.withBasicAuth(LISTING_SHOPPER, PASSWORD);
    Set<String> placed = new HashSet<>();
    for (int i = 0; i < 5; i++) {
      ObjectNode request = validRequest();
      request.remove("customerId");
      ResponseEntity<JsonNode> created = post(sora, "/orders", request, null);
      assertThat(created.getStatusCode()).isEqualTo(HttpStatus.CREATED);
      placed.add(created.getBody().get("orderId").asText());
    }
    placedOrder(); // another customer's order, which must not be listed

    List<JsonNode> listed = new ArrayList<>();
    String path = "/orders?limit=2";
    int pages = 0;
    while (path != null) {
      ResponseEntity<JsonNode> page = sora.getForEntity(path, JsonNode.class);
      assertThat(page.getStatusCode()).isEqualTo(HttpStatus.OK);
      assertThat(page.getBody().get("orders").size()).isBetween(1, 2);
      page.getBody().get("orders").forEach(listed::add);
      pages++;
      path =
          page.getBody().has("next")
              ? "/orders?limit=2&cursor=" + page.getBody().get("next").asText()
              : null;
    }

    assertThat(pages).isEqualTo(3);
    assertThat(listed).extracting(order -> order.get("orderId").asText()).doesNotHaveDuplicates();
    assertThat(listed)
        .extracting(order -> order.get("orderId").asText())
        .containsExactlyInAnyOrderElementsOf(placed);
    for (int i = 1; i < listed.size(); i++) {
      Instant newer = Instant.parse(listed.get(i - 1).get("createdAt").asText());
      Instant older = Instant.parse(listed.get(i).get("createdAt").asText());
      assertThat(older).isBeforeOrEqualTo(newer);
    }
  }

  @Test
  void answersBadListQueriesWith400NamingEachParameter() {
    assertThat(listProblemFields("/orders?limit=0")).containsExactly("limit");
    assertThat(listProblemFields("/orders?limit=101")).containsExactly("limit");
    assertThat(listProblemFields("/orders?limit=ten")).containsExactly("limit");
    assertThat(listProblemFields("/orders?cursor=not-a-cursor")).containsExactly("cursor");
    assertThat(listProblemFields("/orders?status=PENDING&limit=-1"))
        .containsExactlyInAnyOrder("status", "limit");
  }

  private List<String> listProblemFields(String path) {
    ResponseEntity<JsonNode> response = http.getForEntity(path, JsonNode.class);
    assertProblem(response, HttpStatus.BAD_REQUEST);
    List<String> fields = new ArrayList<>();
    response.getBody().get("errors").forEach(error -> fields.add(error.get("field").asText()));
    return fields;
  }

  private static ResponseEntity<JsonNode> post(TestRestTemplate client, String path, String body) {
    HttpHeaders headers = new HttpHeaders();
    headers.setContentType(MediaType.APPLICATION_JSON);
    return client.exchange(path, HttpMethod.POST, new HttpEntity<>(body, headers), JsonNode.class);
  }

  private static ResponseEntity<JsonNode> post(
      TestRestTemplate client, String path, ObjectNode body, String idempotencyKey) {
    HttpHeaders headers = new HttpHeaders();
    headers.setContentType(MediaType.APPLICATION_JSON);
    if (idempotencyKey != null) {
      headers.set("Idempotency-Key", idempotencyKey);
    }
    return client.exchange(
        path, HttpMethod.POST, new HttpEntity<>(body.toString(), headers), JsonNode.class);
  }
}
