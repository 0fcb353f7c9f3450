package dev.ordersaga.order.shopper;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ordersaga.messaging.contracts.order.ApproveOrder;
import dev.ordersaga.messaging.contracts.order.OrderApproved;
import dev.ordersaga.messaging.contracts.order.OrderCancellationRequested;
import dev.ordersaga.messaging.contracts.order.OrderRejected;
import dev.ordersaga.messaging.contracts.order.RejectOrder;
import dev.ordersaga.messaging.contracts.order.RejectionReason;
import dev.ordersaga.order.OrderServiceTestSupport;
import dev.ordersaga.order.cancelling.OrderCancellation;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;

class CancelOrderIT extends OrderServiceTestSupport {

  @Test
  void cancellingAPendingOrderAsksTheSagaOnceThenTheSagaCancelsIt() {
    String orderId = placedOrder();

    ResponseEntity<JsonNode> accepted =
        postJson("/orders/" + orderId + "/cancel", "{\"reason\": \"ordered twice\"}", null);

    assertThat(accepted.getStatusCode()).isEqualTo(HttpStatus.ACCEPTED);
    assertThat(accepted.getBody().get("orderId").asText()).isEqualTo(orderId);
    assertThat(accepted.getBody().get("status").asText()).isEqualTo("PENDING");
    assertThat(accepted.getBody().get("cancellationRequested").asBoolean()).isTrue();
    var requested =
        events.awaitEnvelope(OrderCancellationRequested.class, c -> c.orderId().equals(orderId));
    assertThat(requested.payload().reason()).isEqualTo("ordered twice");
    assertThat(requested.messageId()).isEqualTo(OrderCancellation.cancellationMessageId(orderId));

    ResponseEntity<JsonNode> again = cancel(orderId);

    assertThat(again.getStatusCode()).isEqualTo(HttpStatus.ACCEPTED);
    assertThat(again.getBody().get("cancellationRequested").asBoolean()).isTrue();
    assertThat(store.find(orderId).orElseThrow().outbox()).isEmpty();
    assertThat(received(OrderCancellationRequested.class, c -> c.orderId().equals(orderId)))
        .hasSize(1);

    send(new RejectOrder(orderId, RejectionReason.CANCELLED_BY_SHOPPER));

    OrderRejected reply = events.await(OrderRejected.class, r -> r.orderId().equals(orderId));
    assertThat(reply.reason()).isEqualTo(RejectionReason.CANCELLED_BY_SHOPPER);
    JsonNode order = getOrder(orderId).getBody();
    assertThat(order.get("status").asText()).isEqualTo("CANCELLED");
    assertThat(order.get("reason").asText()).isEqualTo("CANCELLED_BY_SHOPPER");

    ResponseEntity<JsonNode> tooLate = cancel(orderId);
    assertProblem(tooLate, HttpStatus.CONFLICT);
    assertThat(tooLate.getBody().get("orderStatus").asText()).isEqualTo("CANCELLED");
  }

  @Test
  void anApprovedOrderCannotBeCancelled() {
    String orderId = placedOrder();
    send(new ApproveOrder(orderId));
    events.await(OrderApproved.class, approved -> approved.orderId().equals(orderId));

    ResponseEntity<JsonNode> response = cancel(orderId);

    assertProblem(response, HttpStatus.CONFLICT);
    assertThat(response.getBody().get("type").asText()).endsWith("order-not-cancellable");
    assertThat(response.getBody().get("orderStatus").asText()).isEqualTo("APPROVED");
    assertThat(store.find(orderId).orElseThrow().cancellationRequested()).isFalse();
    assertThat(received(OrderCancellationRequested.class, c -> c.orderId().equals(orderId)))
        .isEmpty();
  }

  @Test
  void aRejectedOrderCannotBeCancelled() {
    String orderId = placedOrder();
    send(new RejectOrder(orderId, RejectionReason.PAYMENT_DECLINED));
    events.await(OrderRejected.class, rejected -> rejected.orderId().equals(orderId));

    assertProblem(cancel(orderId), HttpStatus.CONFLICT);
  }

  @Test
  void cancellingAnUnknownOrderIs404() {
    assertProblem(cancel(UUID.randomUUID().toString()), HttpStatus.NOT_FOUND);
  }

  @Test
  void aCancelBodyWithAnUnknownFieldIs400AndRecordsNothing() {
    String orderId = placedOrder();

    ResponseEntity<JsonNode> response =
        postJson("/orders/" + orderId + "/cancel", "{\"because\": \"x\"}", null);

    assertProblem(response, HttpStatus.BAD_REQUEST);
    assertThat(response.getBody().get("errors").get(0).get("field").asText()).isEqualTo("because");
    assertThat(store.find(orderId).orElseThrow().cancellationRequested()).isFalse();
  }
}
