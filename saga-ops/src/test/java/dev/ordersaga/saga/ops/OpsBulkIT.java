package dev.ordersaga.saga.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ordersaga.messaging.Envelope;
import dev.ordersaga.messaging.contracts.order.ApproveOrder;
import dev.ordersaga.messaging.contracts.order.OrderApproved;
import dev.ordersaga.messaging.contracts.payment.AuthorizePayment;
import dev.ordersaga.messaging.contracts.payment.PaymentAuthorized;
import dev.ordersaga.messaging.contracts.shipping.ScheduleShipment;
import dev.ordersaga.messaging.contracts.shipping.ShipmentScheduled;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.springframework.http.ResponseEntity;

/** Bulk actions by filter: dry run, rate, per-saga results, audit, and their input checks. */
class OpsBulkIT extends OpsTestSupport {

  @Test
  void dryRunChangesNothingAndListsExactlyWhatTheRealRunThenDoesAtTheAskedRate() {
    String customer = "bulk-" + UUID.randomUUID();
    List<String> waiting = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      waiting.add(placeOrder(customer));
    }
    String completed = placeOrder(customer);
    waiting.forEach(id -> awaitCommand(payments, AuthorizePayment.class, id));
    complete(completed);
    String everything = "{\"customerId\": \"" + customer + "\"}";

    // park the three waiting ones (wherever their deadlines took them), so they stand still for
    // the rest of the test; the completed one is skipped
    ResponseEntity<JsonNode> parked =
        post("/ops/bulk/park", bulk(everything, false, 20, "hold for the audit"));
    assertThat(parked.getStatusCode().value()).isEqualTo(200);
    assertThat(iterate(parked.getBody().path("sagas")))
        .filteredOn(s -> s.path("plan").asText().equals("apply"))
        .extracting(s -> s.path("result").path("outcome").asText())
        .containsOnly("VERIFIED")
        .hasSize(3);
    waiting.forEach(id -> assertThat(status(id).path("state").asText()).isEqualTo("PARKED"));

    ResponseEntity<JsonNode> dryRun =
        post("/ops/bulk/unpark", bulk(everything, true, 2, "audit done"));

    assertThat(dryRun.getStatusCode().value()).isEqualTo(200);
    List<JsonNode> planned = iterate(dryRun.getBody().path("sagas"));
    assertThat(planned).extracting(s -> s.path("orderId").asText()).hasSize(4);
    assertThat(planned)
        .filteredOn(s -> s.path("plan").asText().equals("apply"))
        .extracting(s -> s.path("orderId").asText())
        .containsExactlyInAnyOrderElementsOf(waiting);
    JsonNode skipped =
        planned.stream()
            .filter(s -> s.path("orderId").asText().equals(completed))
            .findFirst()
            .orElseThrow();
    assertThat(skipped.path("plan").asText()).isEqualTo("skip");
    assertThat(skipped.path("detail").asText()).contains("COMPLETED");
    assertThat(planned).allSatisfy(s -> assertThat(s.path("result").isNull()).isTrue());
    for (String id : waiting) {
      assertThat(status(id).path("state").asText()).isEqualTo("PARKED");
      assertThat(timelineTypes(id)).doesNotContain("saga.OperatorUnparkRequested");
    }

    long started = System.nanoTime();
    ResponseEntity<JsonNode> run =
        post("/ops/bulk/unpark", bulk(everything, false, 2, "audit done"));
    Duration took = Duration.ofNanos(System.nanoTime() - started);

    assertThat(run.getStatusCode().value()).isEqualTo(200);
    List<JsonNode> done = iterate(run.getBody().path("sagas"));
    assertThat(done.stream().map(OpsBulkIT::planOf).toList())
        .isEqualTo(planned.stream().map(OpsBulkIT::planOf).toList());
    for (JsonNode saga : done) {
      if (saga.path("plan").asText().equals("apply")) {
        assertThat(saga.path("result").path("outcome").asText()).isEqualTo("VERIFIED");
        assertThat(saga.path("result").path("verified").asBoolean()).isTrue();
        assertThat(saga.path("result").path("after").path("state").asText())
            .isEqualTo(saga.path("standing").path("parkedFrom").asText());
      } else {
        assertThat(saga.path("result").isNull()).isTrue();
      }
    }
    assertThat(run.getBody().path("counts").path("VERIFIED").asInt()).isEqualTo(3);
    assertThat(run.getBody().path("counts").path("SKIPPED").asInt()).isEqualTo(1);
    // 3 sagas at 2 a second: the second waits half a second, the third a whole second
    assertThat(took).isGreaterThanOrEqualTo(Duration.ofSeconds(1));
    List<Instant> unparkedAt =
        waiting.stream().map(this::unparkRecordedAt).sorted().collect(Collectors.toList());
    for (int i = 1; i < unparkedAt.size(); i++) {
      assertThat(Duration.between(unparkedAt.get(i - 1), unparkedAt.get(i)))
          .isGreaterThanOrEqualTo(Duration.ofMillis(400));
    }

    List<JsonNode> entries = iterate(get("/ops/audit?action=bulk-unpark").getBody().path("items"));
    assertThat(entries)
        .filteredOn(e -> Set.copyOf(textValues(e.path("orderIds"))).contains(completed))
        .extracting(e -> e.path("outcome").asText())
        .containsExactlyInAnyOrder("DRY_RUN", "DONE");
  }

  @Test
  void bulkInputIsCheckedAndCapped() {
    String filter = "{\"customerId\": \"nobody\"}";

    assertBadRequest(post("/ops/bulk/park", bulk(filter, true, 1000, "fast")), "ratePerSecond");
    assertBadRequest(post("/ops/bulk/park", bulk(filter, true, 0, "slow")), "ratePerSecond");
    assertBadRequest(
        post(
            "/ops/bulk/park",
            "{\"filter\": " + filter + ", \"maxSagas\": 100000, \"reason\": \"all\"}"),
        "maxSagas");
    assertBadRequest(post("/ops/bulk/park", bulk("{}", true, 1, "everything")), "filter");
    assertBadRequest(
        post("/ops/bulk/park", bulk("{\"customer\": \"x\"}", true, 1, "typo")), "filter.customer");
    assertBadRequest(
        post("/ops/bulk/park", bulk("{\"state\": [\"LOST\"]}", true, 1, "state")),
        "filter.state[0]");
    assertBadRequest(
        post("/ops/bulk/park", bulk("{\"olderThan\": \"a while\"}", true, 1, "age")),
        "filter.olderThan");
    assertBadRequest(post("/ops/bulk/resume", bulk(filter, true, 1, "resume")), "action");
    assertBadRequest(
        post("/ops/bulk/park", "{\"filter\": " + filter + ", \"reason\": {\"$gt\": \"\"}}"),
        "reason");
    assertBadRequest(
        post(
            "/ops/bulk/park",
            "{\"filter\": " + filter + ", \"dryRun\": \"no\", \"reason\": \"r\"}"),
        "dryRun");
  }

  @Test
  void withoutAnExplicitDryRunFalseABulkActionOnlyShowsWhatItWouldDo() {
    String customer = "bulk-" + UUID.randomUUID();
    String orderId = placeOrder(customer);
    awaitCommand(payments, AuthorizePayment.class, orderId);

    ResponseEntity<JsonNode> response =
        post(
            "/ops/bulk/park",
            "{\"filter\": {\"customerId\": \"" + customer + "\"}, \"reason\": \"look\"}");

    assertThat(response.getStatusCode().value()).isEqualTo(200);
    assertThat(response.getBody().path("dryRun").asBoolean()).isTrue();
    assertThat(iterate(response.getBody().path("sagas")))
        .extracting(s -> s.path("plan").asText())
        .containsExactly("apply");
    assertThat(status(orderId).path("state").asText()).isNotEqualTo("PARKED");
  }

  // ---------------------------------------------------------------- helpers

  private void complete(String orderId) {
    Envelope<AuthorizePayment> authorize = awaitCommand(payments, AuthorizePayment.class, orderId);
    reply(authorize, new PaymentAuthorized(orderId, "pay-1", authorize.payload().amount()));
    reply(
        awaitCommand(shipping, ScheduleShipment.class, orderId),
        new ShipmentScheduled(orderId, "shp-1", "CJ", "CJ1"));
    reply(awaitCommand(orders, ApproveOrder.class, orderId), new OrderApproved(orderId));
    awaitState(orderId, "COMPLETED");
  }

  private static String planOf(JsonNode saga) {
    return saga.path("orderId").asText()
        + " "
        + saga.path("plan").asText()
        + " "
        + saga.path("detail").asText();
  }

  private List<String> timelineTypes(String orderId) {
    return iterate(saga(orderId).path("timeline")).stream()
        .map(e -> e.path("type").asText())
        .toList();
  }

  private Instant unparkRecordedAt(String orderId) {
    return iterate(saga(orderId).path("timeline")).stream()
        .filter(e -> e.path("type").asText().equals("saga.OperatorUnparkRequested"))
        .map(e -> Instant.parse(e.path("recordedAt").asText()))
        .findFirst()
        .orElseThrow();
  }

  private static List<String> textValues(JsonNode array) {
    return iterate(array).stream().map(JsonNode::asText).toList();
  }

  private static String bulk(String filter, boolean dryRun, int rate, String reason) {
    return "{\"filter\": "
        + filter
        + ", \"dryRun\": "
        + dryRun
        + ", \"ratePerSecond\": "
        + rate
        + ", \"reason\": \""
        + reason
        + "\"}";
  }
}
