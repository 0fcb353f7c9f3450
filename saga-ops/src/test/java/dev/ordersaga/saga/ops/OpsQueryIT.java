package dev.ordersaga.saga.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ordersaga.messaging.contracts.payment.AuthorizePayment;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpMethod;
import org.springframework.http.ResponseEntity;

/** Finding sagas, paging, the audit log, and the checks on every input. */
class OpsQueryIT extends OpsTestSupport {

  @Test
  void sagasAreFoundByCustomerStateAndAgeAndPagedWithACursor() {
    String customer = "query-" + UUID.randomUUID();
    List<String> placed = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      placed.add(placeOrder(customer));
    }
    placed.forEach(id -> awaitCommand(payments, AuthorizePayment.class, id));

    ResponseEntity<JsonNode> first = get("/ops/sagas?customerId=" + customer + "&limit=2");
    assertThat(first.getStatusCode().value()).isEqualTo(200);
    List<JsonNode> page1 = iterate(first.getBody().path("items"));
    String cursor = first.getBody().path("nextCursor").asText();
    JsonNode second =
        get("/ops/sagas?customerId=" + customer + "&limit=2&cursor=" + cursor).getBody();
    List<JsonNode> page2 = iterate(second.path("items"));

    assertThat(page1).hasSize(2);
    assertThat(page2).hasSize(1);
    assertThat(second.path("nextCursor").isNull()).isTrue();
    List<JsonNode> all = new ArrayList<>(page1);
    all.addAll(page2);
    assertThat(all)
        .extracting(s -> s.path("orderId").asText())
        .containsExactlyInAnyOrderElementsOf(placed);
    assertThat(all).extracting(s -> Instant.parse(s.path("startedAt").asText())).isSorted();
    assertThat(all)
        .allSatisfy(
            s -> {
              assertThat(s.path("customerId").asText()).isEqualTo(customer);
              assertThat(s.path("stuck").asBoolean()).isFalse();
            });

    String email = (customer + "@example.com").toUpperCase(Locale.ROOT);
    assertThat(count("/ops/sagas?email=" + email)).isEqualTo(3);
    assertThat(count("/ops/sagas?customerId=" + customer + "&state=AWAITING_PAYMENT,PARKED"))
        .isEqualTo(3);
    assertThat(count("/ops/sagas?customerId=" + customer + "&state=COMPLETED")).isZero();
    assertThat(count("/ops/sagas?customerId=" + customer + "&step=AUTHORIZE_PAYMENT")).isEqualTo(3);
    assertThat(count("/ops/sagas?customerId=" + customer + "&newerThan=PT1H")).isEqualTo(3);
    assertThat(count("/ops/sagas?customerId=" + customer + "&olderThan=PT1H")).isZero();
    assertThat(count("/ops/sagas?customerId=" + customer + "&stuck=false")).isEqualTo(3);
    assertThat(count("/ops/sagas?customerId=" + customer + "&stuck=true")).isZero();

    // a cursor only goes with the query that made it
    assertBadRequest(
        get("/ops/sagas?customerId=" + customer + "&state=PARKED&limit=2&cursor=" + cursor),
        "cursor");
  }

  @Test
  void parkedSagasAndTheirReasonAreFound() {
    String customer = "query-" + UUID.randomUUID();
    String orderId = placeOrder(customer);
    awaitCommand(payments, AuthorizePayment.class, orderId);
    assertThat(post("/ops/sagas/" + orderId + "/park", reason("look")).getStatusCode().value())
        .isEqualTo(200);

    List<JsonNode> parked =
        iterate(get("/ops/sagas?state=PARKED&customerId=" + customer).getBody().path("items"));

    assertThat(parked).hasSize(1);
    assertThat(parked.get(0).path("parkedFrom").asText()).isEqualTo("AWAITING_PAYMENT");
    assertThat(parked.get(0).path("lastAction").path("action").asText()).isEqualTo("PARK");
  }

  @Test
  void listingParametersAreChecked() {
    assertBadRequest(get("/ops/sagas?limit=201"), "limit");
    assertBadRequest(get("/ops/sagas?limit=0"), "limit");
    assertBadRequest(get("/ops/sagas?limit=ten"), "limit");
    assertBadRequest(get("/ops/sagas?cursor=not-a-cursor"), "cursor");
    assertBadRequest(get("/ops/sagas?cursor=%7B%22%24gt%22%3A%22%22%7D"), "cursor");
    assertBadRequest(get("/ops/sagas?state=SLEEPING"), "state");
    assertBadRequest(get("/ops/sagas?stuck=yes"), "stuck");
    assertBadRequest(get("/ops/sagas?olderThan=yesterday"), "olderThan");
    assertBadRequest(get("/ops/sagas?step=SHIP"), "step");
    assertBadRequest(get("/ops/sagas?reason=BORED"), "reason");
    assertBadRequest(get("/ops/sagas?customerId="), "customerId");
    assertBadRequest(get("/ops/sagas?limit=1&limit=2"), "limit");
    assertBadRequest(get("/ops/sagas?sort=startedAt"), "sort");
    assertBadRequest(get("/ops/audit?limit=500"), "limit");
    assertBadRequest(get("/ops/audit?from=today"), "from");
    assertBadRequest(get("/ops/audit?cursor=bm9wZQ"), "cursor");
    assertBadRequest(get("/ops/parked/no-such-queue"), "queue");
    assertBadRequest(get("/ops/parked/payment-service.commands?limit=1000"), "limit");
  }

  @Test
  void actionBodiesAreChecked() {
    String orderId = placeOrder("query-" + UUID.randomUUID());
    awaitCommand(payments, AuthorizePayment.class, orderId);
    String park = "/ops/sagas/" + orderId + "/park";

    assertBadRequest(post(park, "{\"reason\": {\"$gt\": \"\"}}"), "reason");
    assertBadRequest(post(park, "{\"reason\": 7}"), "reason");
    assertBadRequest(post(park, "{\"reason\": \"  \"}"), "reason");
    assertBadRequest(post(park, "{}"), "reason");
    assertBadRequest(post(park, "{\"reason\": \"x\", \"force\": true}"), "force");
    assertBadRequest(post(park, "{\"reason\": \"x\""), "body");
    assertBadRequest(post(park, ""), "body");
    assertBadRequest(post(park, "{\"reason\": \"" + "x".repeat(501) + "\"}"), "reason");
    assertBadRequest(
        post(
            "/ops/parked/payment-service.commands/redrive",
            "{\"limit\": \"1\", \"reason\": \"r\"}"),
        "limit");
    // none of it reached the saga
    assertThat(status(orderId).path("state").asText()).isEqualTo("AWAITING_PAYMENT");
    assertThat(iterate(saga(orderId).path("timeline")))
        .noneMatch(e -> e.path("type").asText().startsWith("saga.Operator"));
  }

  @Test
  void theAuditLogIsPagedFilteredAndCannotBeChanged() {
    String orderId = placeOrder("audit-" + UUID.randomUUID());
    awaitCommand(payments, AuthorizePayment.class, orderId);
    Instant before = Instant.now().minusSeconds(1);
    post("/ops/sagas/" + orderId + "/park", reason("first"));
    post("/ops/sagas/" + orderId + "/park", reason("second, refused: already parked"));
    post("/ops/sagas/" + orderId + "/unpark", reason("third"));

    JsonNode first = get("/ops/audit?orderId=" + orderId + "&limit=2").getBody();
    JsonNode second =
        get("/ops/audit?orderId="
                + orderId
                + "&limit=2&cursor="
                + first.path("nextCursor").asText())
            .getBody();

    List<JsonNode> entries = new ArrayList<>(iterate(first.path("items")));
    entries.addAll(iterate(second.path("items")));
    assertThat(entries)
        .extracting(e -> e.path("reason").asText())
        .containsExactly("third", "second, refused: already parked", "first");
    assertThat(entries)
        .extracting(e -> e.path("outcome").asText())
        .containsExactly("VERIFIED", "REFUSED", "VERIFIED");
    assertThat(second.path("nextCursor").isNull()).isTrue();
    assertThat(count("/ops/audit?orderId=" + orderId + "&action=park")).isEqualTo(2);
    assertThat(count("/ops/audit?orderId=" + orderId + "&who=operator&from=" + before))
        .isEqualTo(3);
    assertThat(count("/ops/audit?orderId=" + orderId + "&who=someone-else")).isZero();
    assertThat(count("/ops/audit?orderId=" + orderId + "&to=" + before)).isZero();

    String id = entries.get(0).path("id").asText();
    for (HttpMethod method : List.of(HttpMethod.DELETE, HttpMethod.PUT)) {
      int status =
          operator().exchange("/ops/audit", method, null, String.class).getStatusCode().value();
      assertThat(status).isIn(404, 405);
      status =
          operator()
              .exchange("/ops/audit/" + id, method, null, String.class)
              .getStatusCode()
              .value();
      assertThat(status).isIn(404, 405);
    }
    assertThat(count("/ops/audit?orderId=" + orderId)).isEqualTo(3);
  }

  private int count(String path) {
    ResponseEntity<JsonNode> response = get(path);
    assertThat(response.getStatusCode().value()).as(path).isEqualTo(200);
    return response.getBody().path("items").size();
  }
}
