package dev.ordersaga.saga.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ordersaga.messaging.Envelope;
import dev.ordersaga.messaging.contracts.Address;
import dev.ordersaga.messaging.contracts.Customer;
import dev.ordersaga.messaging.contracts.LineItem;
import dev.ordersaga.messaging.contracts.Money;
import dev.ordersaga.messaging.contracts.order.ApproveOrder;
import dev.ordersaga.messaging.contracts.order.OrderApproved;
import dev.ordersaga.messaging.contracts.order.OrderPlaced;
import dev.ordersaga.messaging.contracts.payment.AuthorizePayment;
import dev.ordersaga.messaging.contracts.payment.PaymentAuthorized;
import dev.ordersaga.messaging.contracts.shipping.ScheduleShipment;
import dev.ordersaga.messaging.contracts.shipping.ShipmentScheduled;
import dev.ordersaga.messaging.testing.TestMessages;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.http.ResponseEntity;

/**
 * {@code POST /ops/replay-check}: v2 over histories v1 recorded differs where v2's rule decides
 * otherwise, v1 over its own histories does not; bad input is a 400 naming the field; audited.
 */
class ReplayCheckIT extends OpsTestSupport {

  @Test
  void v2DiffersOnALargeOrderV1CompletedAndV1AgreesWithItself() {
    Instant from = Instant.now().minusSeconds(1);
    Money large = Money.of("750.00", "EUR");
    String orderId = UUID.randomUUID().toString();
    publisher.publish(
        TestMessages.envelope(
            new OrderPlaced(
                orderId,
                new Customer("replay-1", "replay-1@example.com", "en"),
                List.of(new LineItem("TV-01", 1, large)),
                large,
                new Address("Kim Minji", "12 Sejong-daero", null, "Seoul", "04524", "KR"),
                "pm_card_visa")));
    Envelope<AuthorizePayment> authorize = awaitCommand(payments, AuthorizePayment.class, orderId);
    reply(authorize, new PaymentAuthorized(orderId, "pay-r1", large));
    Envelope<ScheduleShipment> schedule = awaitCommand(shipping, ScheduleShipment.class, orderId);
    reply(schedule, new ShipmentScheduled(orderId, "shp-r1", "CJ", "CJ1"));
    reply(awaitCommand(orders, ApproveOrder.class, orderId), new OrderApproved(orderId));
    awaitState(orderId, "COMPLETED");
    assertThat(status(orderId).path("sagaVersion").asText()).isEqualTo("v1");

    String range = "\"from\": \"" + from + "\", \"outcomes\": [\"COMPLETED\"], \"sample\": 1000";
    ResponseEntity<JsonNode> v2 =
        post("/ops/replay-check", "{\"candidate\": \"v2\", " + range + ", \"reason\": \"r1\"}");
    ResponseEntity<JsonNode> v1 =
        post("/ops/replay-check", "{\"candidate\": \"v1\", " + range + "}");

    assertThat(v2.getStatusCode().value()).isEqualTo(200);
    JsonNode found =
        iterate(v2.getBody().path("sagas")).stream()
            .filter(s -> s.path("orderId").asText().equals(orderId))
            .findFirst()
            .orElseThrow();
    assertThat(found.path("recordedVersion").asText()).isEqualTo("v1");
    assertThat(found.path("candidateState").asText()).isEqualTo("COMPENSATING");
    JsonNode first = found.path("differences").get(0);
    assertThat(first.path("kind").asText()).isEqualTo("COMMAND");
    assertThat(first.path("recorded").asText()).startsWith("payment.AuthorizePayment");
    assertThat(first.path("candidate").asText()).startsWith("order.RejectOrder");
    assertThat(v1.getStatusCode().value()).isEqualTo(200);
    assertThat(v1.getBody().path("checked").asInt()).isPositive();
    assertThat(v1.getBody().path("sagas")).isEmpty();
    assertThat(audit(orderId))
        .anySatisfy(
            entry -> {
              assertThat(entry.path("action").asText()).isEqualTo("replay-check");
              assertThat(entry.path("outcome").asText()).isEqualTo("DIFFERENT");
              assertThat(entry.path("reason").asText()).isEqualTo("r1");
            });
  }

  @Test
  void badInputNamesTheField() {
    assertBadRequest(post("/ops/replay-check", "{}"), "candidate");
    assertBadRequest(post("/ops/replay-check", "{\"candidate\": \"v9\"}"), "candidate");
    assertBadRequest(post("/ops/replay-check", "{\"candidate\": \"v2\", \"sample\": 0}"), "sample");
    assertBadRequest(
        post("/ops/replay-check", "{\"candidate\": \"v2\", \"outcomes\": [\"DONE\"]}"),
        "outcomes[0]");
  }
}
