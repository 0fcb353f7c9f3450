package dev.ordersaga.saga.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ordersaga.messaging.contracts.payment.AuthorizePayment;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpMethod;
import org.springframework.http.ResponseEntity;

/**
 * {@code GET /sagas/{orderId}} (analysts and operators) shows the saga's whole status: every field
 * the operator API's {@code GET /ops/sagas/{orderId}} status has, with the same values, besides its
 * own history.
 */
class SagaViewIT extends OpsTestSupport {

  @Test
  void theViewHasEveryStatusFieldTheOperatorsSummaryHas() {
    String orderId = placeOrder("view-waiting");
    awaitCommand(payments, AuthorizePayment.class, orderId);
    awaitState(orderId, "AWAITING_PAYMENT");

    JsonNode waiting = view(orderId);

    // it moves on its own (deadlines, retries): compared field by field once parked
    assertThat(Instant.parse(waiting.path("deadlineAt").asText())).isAfter(Instant.EPOCH);
    assertThat(waiting.path("stuck").asBoolean()).isFalse();
    assertThat(waiting.path("parkedFrom").isNull()).isTrue();
    assertThat(waiting.path("customerId").asText()).isEqualTo("view-waiting");
    assertThat(waiting.path("customerEmail").asText()).isEqualTo("view-waiting@Example.com");

    assertThat(post("/ops/sagas/" + orderId + "/park", reason("look closer")).getStatusCode())
        .hasToString("200 OK");
    JsonNode parked = view(orderId);

    assertSameStatus(parked, status(orderId));
    assertThat(parked.path("state").asText()).isEqualTo("PARKED");
    assertThat(parked.path("parkedFrom").asText()).isEqualTo("AWAITING_PAYMENT");
    assertThat(parked.path("deadlineAt").isNull()).isTrue();
    assertThat(parked.path("lastAction").path("action").asText()).isEqualTo("PARK");
    assertThat(parked.path("lastAction").path("applied").asBoolean()).isTrue();
    // its own fields stay
    assertThat(parked.path("orderId").asText()).isEqualTo(orderId);
    assertThat(parked.path("step").asText()).isEqualTo("AUTHORIZE_PAYMENT");
    assertThat(parked.path("attempt").asInt()).isPositive();
    assertThat(parked.path("startedAt").asText()).isNotBlank();
    assertThat(iterate(parked.path("history")))
        .extracting(e -> e.path("type").asText())
        .contains("order.OrderPlaced", "payment.AuthorizePayment", "saga.OperatorParkRequested");
  }

  /** The saga as an analyst reads it. */
  private JsonNode view(String orderId) {
    ResponseEntity<JsonNode> response =
        http.withBasicAuth("analyst", "test-analyst")
            .exchange("/sagas/" + orderId, HttpMethod.GET, null, JsonNode.class);
    assertThat(response.getStatusCode().value()).isEqualTo(200);
    return response.getBody();
  }

  private static void assertSameStatus(JsonNode view, JsonNode summary) {
    List<String> fields = new ArrayList<>();
    summary.fieldNames().forEachRemaining(fields::add);
    assertThat(fields).contains("stuck", "deadlineAt", "parkedFrom", "lastAction", "heldReply");
    for (String field : fields) {
      assertThat(view.has(field)).as(field).isTrue();
      assertThat(view.get(field)).as(field).isEqualTo(summary.get(field));
    }
  }
}
