package dev.ordersaga.saga.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.mongodb.client.model.Filters;
import dev.ordersaga.messaging.Envelope;
import dev.ordersaga.messaging.MessageIds;
import dev.ordersaga.messaging.contracts.notification.NoticeReason;
import dev.ordersaga.messaging.contracts.notification.NotifyCustomer;
import dev.ordersaga.messaging.contracts.order.ApproveOrder;
import dev.ordersaga.messaging.contracts.order.OrderApproved;
import dev.ordersaga.messaging.contracts.order.OrderRejected;
import dev.ordersaga.messaging.contracts.order.RejectOrder;
import dev.ordersaga.messaging.contracts.order.RejectionReason;
import dev.ordersaga.messaging.contracts.payment.AuthorizePayment;
import dev.ordersaga.messaging.contracts.payment.PaymentAuthorized;
import dev.ordersaga.messaging.contracts.payment.PaymentRefunded;
import dev.ordersaga.messaging.contracts.payment.RefundPayment;
import dev.ordersaga.messaging.contracts.shipping.CancelShipment;
import dev.ordersaga.messaging.contracts.shipping.ScheduleShipment;
import dev.ordersaga.messaging.contracts.shipping.ShipmentCancelled;
import dev.ordersaga.messaging.contracts.shipping.ShipmentFailed;
import dev.ordersaga.messaging.contracts.shipping.ShipmentFailureReason;
import dev.ordersaga.messaging.contracts.shipping.ShipmentScheduled;
import dev.ordersaga.saga.runtime.SagaTimers;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.ResponseEntity;

/** Each operator action on one saga, end to end, checked and audited. */
class OpsActionsIT extends OpsTestSupport {

  @Autowired MeterRegistry meters;

  @Test
  void retryOfAFailedCompensationLetsTheRefundThroughAndTheSagaCompensates() {
    String orderId = placeOrder("cust-retry");
    Envelope<AuthorizePayment> authorize = awaitCommand(payments, AuthorizePayment.class, orderId);
    reply(authorize, new PaymentAuthorized(orderId, "pay-1", authorize.payload().amount()));
    Envelope<ScheduleShipment> schedule = awaitCommand(shipping, ScheduleShipment.class, orderId);
    reply(
        schedule,
        new ShipmentFailed(orderId, ShipmentFailureReason.CARRIER_REJECTED, "no capacity"));
    // the test never answers RefundPayment: past its attempts the saga raises the incident
    awaitState(orderId, "COMPENSATION_FAILED");
    int attempts = status(orderId).path("attempt").asInt();

    ResponseEntity<JsonNode> retried =
        post("/ops/sagas/" + orderId + "/retry", reason("payment provider is back"));

    assertThat(retried.getStatusCode().value()).isEqualTo(200);
    JsonNode result = retried.getBody();
    assertThat(result.path("verified").asBoolean()).isTrue();
    assertThat(result.path("before").path("state").asText()).isEqualTo("COMPENSATION_FAILED");
    assertThat(result.path("after").path("state").asText()).isEqualTo("COMPENSATING");
    assertThat(result.path("after").path("attempt").asInt()).isEqualTo(attempts + 1);
    Envelope<RefundPayment> refund =
        awaitCommand(
            payments,
            RefundPayment.class,
            orderId,
            e -> e.messageId().equals(MessageIds.forStep(orderId, "REFUND_PAYMENT", attempts + 1)));
    reply(refund, new PaymentRefunded(orderId, "pay-1", "ref-1", refund.payload().amount()));
    Envelope<RejectOrder> reject = awaitCommand(orders, RejectOrder.class, orderId);
    reply(reject, new OrderRejected(orderId, RejectionReason.SHIPMENT_FAILED));
    awaitState(orderId, "COMPENSATED");

    JsonNode retryEvent = timelineEntry(orderId, "saga.OperatorRetryRequested");
    assertThat(retryEvent.path("direction").asText()).isEqualTo("in");
    assertThat(retryEvent.path("messageId").asText()).isEqualTo(result.path("actionId").asText());
    assertThat(retryEvent.path("payload").path("operator").asText()).isEqualTo("operator");
    assertThat(retryEvent.path("payload").path("reason").asText())
        .isEqualTo("payment provider is back");
    assertAudited(orderId, "retry", "VERIFIED", "payment provider is back");
  }

  @Test
  void parkedSagaHoldsTheReplyAndActsOnItWhenUnparked() {
    String orderId = placeOrder("cust-park");
    Envelope<AuthorizePayment> authorize = awaitCommand(payments, AuthorizePayment.class, orderId);

    ResponseEntity<JsonNode> parked = post("/ops/sagas/" + orderId + "/park", reason("suspicious"));

    assertThat(parked.getStatusCode().value()).isEqualTo(200);
    assertThat(parked.getBody().path("after").path("state").asText()).isEqualTo("PARKED");
    assertThat(status(orderId).path("parkedFrom").asText()).isEqualTo("AWAITING_PAYMENT");
    assertThat(status(orderId).path("deadlineAt").isNull()).isTrue();
    assertThat(
            database
                .getCollection(SagaTimers.COLLECTION)
                .countDocuments(Filters.eq("_id", orderId)))
        .isZero();

    reply(authorize, new PaymentAuthorized(orderId, "pay-1", authorize.payload().amount()));
    await()
        .atMost(LONG)
        .untilAsserted(
            () ->
                assertThat(status(orderId).path("heldReply").asText())
                    .isEqualTo("payment.PaymentAuthorized"));
    // the saga handled the reply (it holds it) without acting on it
    assertThat(status(orderId).path("state").asText()).isEqualTo("PARKED");
    assertThat(shipping.received(ScheduleShipment.class))
        .filteredOn(c -> c.orderId().equals(orderId))
        .isEmpty();

    ResponseEntity<JsonNode> unparked =
        post("/ops/sagas/" + orderId + "/unpark", reason("customer confirmed"));

    assertThat(unparked.getStatusCode().value()).isEqualTo(200);
    assertThat(unparked.getBody().path("after").path("state").asText())
        .isEqualTo("AWAITING_SHIPMENT");
    awaitCommand(shipping, ScheduleShipment.class, orderId);
    List<String> types = timelineTypes(orderId);
    assertThat(types)
        .containsSubsequence(
            "saga.OperatorParkRequested",
            "payment.PaymentAuthorized",
            "saga.OperatorUnparkRequested",
            "shipping.ScheduleShipment");
    assertThat(types.indexOf("shipping.ScheduleShipment"))
        .isGreaterThan(types.indexOf("saga.OperatorUnparkRequested"));
    assertAudited(orderId, "park", "VERIFIED", "suspicious");
    assertThat(actionsCounted("park", "verified")).isPositive();
    assertAudited(orderId, "unpark", "VERIFIED", "customer confirmed");
  }

  @Test
  void forcedCompensationRefundsRejectsWithOperatorAbortedAndUndoesALateBooking() {
    String orderId = placeOrder("cust-abort");
    Envelope<AuthorizePayment> authorize = awaitCommand(payments, AuthorizePayment.class, orderId);
    reply(authorize, new PaymentAuthorized(orderId, "pay-1", authorize.payload().amount()));
    Envelope<ScheduleShipment> schedule = awaitCommand(shipping, ScheduleShipment.class, orderId);

    ResponseEntity<JsonNode> aborted =
        post("/ops/sagas/" + orderId + "/compensate", reason("fraud confirmed"));

    assertThat(aborted.getStatusCode().value()).isEqualTo(200);
    assertThat(aborted.getBody().path("before").path("state").asText())
        .isEqualTo("AWAITING_SHIPMENT");
    assertThat(aborted.getBody().path("after").path("state").asText()).isEqualTo("COMPENSATING");
    Envelope<RefundPayment> refund = awaitCommand(payments, RefundPayment.class, orderId);
    reply(refund, new PaymentRefunded(orderId, "pay-1", "ref-1", refund.payload().amount()));
    Envelope<RejectOrder> reject = awaitCommand(orders, RejectOrder.class, orderId);
    assertThat(reject.payload().reason()).isEqualTo(RejectionReason.OPERATOR_ABORTED);
    reply(reject, new OrderRejected(orderId, RejectionReason.OPERATOR_ABORTED));
    NotifyCustomer notice = awaitCommand(notices, NotifyCustomer.class, orderId).payload();
    assertThat(notice.reason()).isEqualTo(NoticeReason.OPERATOR_ABORTED);
    assertThat(notice.refunded()).isEqualTo(refund.payload().amount());
    awaitState(orderId, "COMPENSATED");
    assertThat(status(orderId).path("reason").asText()).isEqualTo("OPERATOR_ABORTED");

    // the carrier books the shipment asked for before the abort after all: it is cancelled
    reply(schedule, new ShipmentScheduled(orderId, "shp-1", "CJ", "CJ1"));
    Envelope<CancelShipment> cancel = awaitCommand(shipping, CancelShipment.class, orderId);
    assertThat(cancel.payload().idempotencyKey()).isEqualTo(schedule.payload().idempotencyKey());
    reply(cancel, new ShipmentCancelled(orderId, "shp-1"));
    await()
        .atMost(LONG)
        .untilAsserted(
            () -> assertThat(timelineTypes(orderId)).endsWith("shipping.ShipmentCancelled"));
    assertAudited(orderId, "compensate", "VERIFIED", "fraud confirmed");
  }

  @Test
  void resumeWithACorrectedAddressSendsTheShipmentAgainUnderTheSameKey() {
    String orderId = placeOrder("cust-resume");
    Envelope<AuthorizePayment> authorize = awaitCommand(payments, AuthorizePayment.class, orderId);
    reply(authorize, new PaymentAuthorized(orderId, "pay-1", authorize.payload().amount()));
    Envelope<ScheduleShipment> first = awaitCommand(shipping, ScheduleShipment.class, orderId);
    // held while the operator sorts out the address with the customer
    assertThat(post("/ops/sagas/" + orderId + "/park", reason("bad address")).getStatusCode())
        .hasToString("200 OK");
    String path = "/ops/sagas/" + orderId + "/resume";

    assertBadRequest(
        post(path, resume("SCHEDULE_SHIPMENT", "{\"adress\": {}}", "typo")), "input.adress");
    assertBadRequest(
        post(path, resume("SCHEDULE_SHIPMENT", address("\"city\": null"), "no city")),
        "input.address");
    assertBadRequest(
        post(path, resume("SCHEDULE_SHIPMENT", "{\"idempotencyKey\": \"mine\"}", "key")),
        "input.idempotencyKey");
    assertBadRequest(post(path, resume("REFUND_PAYMENT", "{}", "undo")), "fromStep");
    ResponseEntity<JsonNode> wrongStep =
        post(
            path,
            resume(
                "AUTHORIZE_PAYMENT",
                "{\"customerId\": \"c\", \"amount\": {\"amount\":"
                    + " \"1.00\", \"currency\": \"EUR\"}, \"paymentToken\": \"t\"}",
                "pay again"));
    assertThat(wrongStep.getStatusCode().value()).isEqualTo(409);
    assertThat(wrongStep.getBody().path("detail").asText()).contains("SCHEDULE_SHIPMENT");

    ResponseEntity<JsonNode> resumed =
        post(
            path,
            resume(
                "SCHEDULE_SHIPMENT",
                address("\"city\": \"Seoul\", \"line2\": \"4F\""),
                "address corrected with the customer"));

    assertThat(resumed.getStatusCode().value()).isEqualTo(200);
    assertThat(resumed.getBody().path("after").path("state").asText())
        .isEqualTo("AWAITING_SHIPMENT");
    Envelope<ScheduleShipment> second =
        awaitCommand(
            shipping,
            ScheduleShipment.class,
            orderId,
            e -> !e.messageId().equals(first.messageId()));
    assertThat(second.payload().address().line1()).isEqualTo("15 Sejong-daero");
    assertThat(second.payload().address().line2()).isEqualTo("4F");
    assertThat(second.payload().idempotencyKey()).isEqualTo(first.payload().idempotencyKey());
    assertThat(second.payload().items()).isEqualTo(first.payload().items());
    reply(second, new ShipmentScheduled(orderId, "shp-1", "CJ", "CJ1"));
    reply(awaitCommand(orders, ApproveOrder.class, orderId), new OrderApproved(orderId));
    awaitState(orderId, "COMPLETED");
    JsonNode resumeEvent = timelineEntry(orderId, "saga.OperatorResumeRequested");
    assertThat(resumeEvent.path("payload").path("input").path("type").asText())
        .isEqualTo("shipping.ScheduleShipment");
    assertAudited(orderId, "resume", "VERIFIED", "address corrected with the customer");
  }

  @Test
  void actionsThatMakeNoSenseAreRefusedWith409AndAudited() {
    String orderId = placeOrder("cust-refused");
    Envelope<AuthorizePayment> authorize = awaitCommand(payments, AuthorizePayment.class, orderId);
    reply(authorize, new PaymentAuthorized(orderId, "pay-1", authorize.payload().amount()));
    reply(
        awaitCommand(shipping, ScheduleShipment.class, orderId),
        new ShipmentScheduled(orderId, "shp-1", "CJ", "CJ1"));

    ResponseEntity<JsonNode> unpark =
        post("/ops/sagas/" + orderId + "/unpark", reason("not parked"));
    assertThat(unpark.getStatusCode().value()).isEqualTo(409);
    assertThat(unpark.getHeaders().getContentType()).hasToString("application/problem+json");
    assertThat(unpark.getBody().path("detail").asText()).contains("not parked");

    reply(awaitCommand(orders, ApproveOrder.class, orderId), new OrderApproved(orderId));
    awaitState(orderId, "COMPLETED");
    ResponseEntity<JsonNode> retry = post("/ops/sagas/" + orderId + "/retry", reason("again"));

    assertThat(retry.getStatusCode().value()).isEqualTo(409);
    assertThat(retry.getBody().path("state").asText()).isEqualTo("COMPLETED");
    assertThat(timelineTypes(orderId)).noneMatch(type -> type.startsWith("saga.Operator"));
    assertAudited(orderId, "retry", "REFUSED", "again");
    assertThat(actionsCounted("retry", "refused")).isPositive();
    assertAudited(orderId, "unpark", "REFUSED", "not parked");

    ResponseEntity<JsonNode> unknown =
        post("/ops/sagas/" + UUID.randomUUID() + "/park", reason("who?"));
    assertThat(unknown.getStatusCode().value()).isEqualTo(404);
    assertThat(unknown.getHeaders().getContentType()).hasToString("application/problem+json");
  }

  // ---------------------------------------------------------------- helpers

  private double actionsCounted(String action, String result) {
    return meters
        .get("saga.ops.actions")
        .tag("action", action)
        .tag("result", result)
        .counter()
        .count();
  }

  private List<String> timelineTypes(String orderId) {
    return iterate(saga(orderId).path("timeline")).stream()
        .map(e -> e.path("type").asText())
        .toList();
  }

  private JsonNode timelineEntry(String orderId, String type) {
    return iterate(saga(orderId).path("timeline")).stream()
        .filter(e -> e.path("type").asText().equals(type))
        .findFirst()
        .orElseThrow(() -> new AssertionError(type + " is not in the timeline of " + orderId));
  }

  private void assertAudited(String orderId, String action, String outcome, String reason) {
    assertThat(audit(orderId))
        .anySatisfy(
            entry -> {
              assertThat(entry.path("action").asText()).isEqualTo(action);
              assertThat(entry.path("who").asText()).isEqualTo("operator");
              assertThat(entry.path("outcome").asText()).isEqualTo(outcome);
              assertThat(entry.path("reason").asText()).isEqualTo(reason);
              assertThat(entry.path("dryRun").asBoolean()).isFalse();
              assertThat(entry.path("at").asText()).isNotBlank();
              assertThat(entry.path("result").path("orderId").asText()).isEqualTo(orderId);
            });
    // the saga's own view lists the same actions
    assertThat(iterate(saga(orderId).path("audit")))
        .anySatisfy(entry -> assertThat(entry.path("action").asText()).isEqualTo(action));
  }

  private static String resume(String fromStep, String input, String reason) {
    return "{\"fromStep\": \""
        + fromStep
        + "\", \"input\": "
        + input
        + ", \"reason\": \""
        + reason
        + "\"}";
  }

  private static String address(String city) {
    return "{\"address\": {\"recipient\": \"Kim Minji\", \"line1\": \"15 Sejong-daero\", "
        + city
        + ", \"postalCode\": \"04524\", \"country\": \"KR\"},"
        + " \"items\": [{\"sku\": \"MUG-01\", \"quantity\": 2,"
        + " \"unitPrice\": {\"amount\": \"16.50\", \"currency\": \"EUR\"}}]}";
  }
}
