package dev.ordersaga.messaging.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ordersaga.messaging.Envelope;
import dev.ordersaga.messaging.Message;
import dev.ordersaga.messaging.MessageIds;
import dev.ordersaga.messaging.codec.UndecodableMessageException.Reason;
import dev.ordersaga.messaging.contracts.notification.NotifyCustomer;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The strict envelope: every field of the wrong JSON type, form or range is undecodable, with a
 * reason that names the field. The malformed envelopes start from the golden NotifyCustomer sample,
 * the message a forger would most like to send.
 */
class StrictEnvelopeTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final Instant NOW = Instant.parse("2026-11-29T06:00:00Z");
  private final WireCodec codec =
      new WireCodec(MessageTypes.orderSaga(), Clock.fixed(NOW, ZoneOffset.UTC));

  /** Each: what is wrong, the change to a valid envelope, the reason, and what the reason says. */
  static Stream<Arguments> malformedEnvelopes() {
    return Stream.of(
        bad(
            "messageId null",
            n -> n.putNull("messageId"),
            Reason.MISSING_ENVELOPE_FIELD,
            "messageId"),
        bad(
            "messageId a number",
            n -> n.put("messageId", 12345),
            Reason.INVALID_ENVELOPE_FIELD,
            "messageId must be a JSON string"),
        bad(
            "messageId a boolean",
            n -> n.put("messageId", true),
            Reason.INVALID_ENVELOPE_FIELD,
            "messageId must be a JSON string"),
        bad(
            "messageId an object",
            n -> n.putObject("messageId").put("id", "x"),
            Reason.INVALID_ENVELOPE_FIELD,
            "messageId must be a JSON string"),
        bad(
            "messageId an array",
            n -> n.putArray("messageId").add("x"),
            Reason.INVALID_ENVELOPE_FIELD,
            "messageId must be a JSON string"),
        bad(
            "messageId empty",
            n -> n.put("messageId", ""),
            Reason.MISSING_ENVELOPE_FIELD,
            "messageId"),
        bad(
            "messageId blank",
            n -> n.put("messageId", "   "),
            Reason.MISSING_ENVELOPE_FIELD,
            "messageId"),
        bad(
            "messageId with a space",
            n -> n.put("messageId", "a b"),
            Reason.INVALID_ENVELOPE_FIELD,
            "messageId must be an id"),
        bad(
            "messageId with a newline",
            n -> n.put("messageId", "a\nforged log line"),
            Reason.INVALID_ENVELOPE_FIELD,
            "messageId must be an id"),
        bad(
            "messageId too long",
            n -> n.put("messageId", "m".repeat(257)),
            Reason.INVALID_ENVELOPE_FIELD,
            "messageId must be an id"),
        bad(
            "messageId missing",
            n -> n.remove("messageId"),
            Reason.MISSING_ENVELOPE_FIELD,
            "messageId"),
        bad("sagaId null", n -> n.putNull("sagaId"), Reason.MISSING_ENVELOPE_FIELD, "sagaId"),
        bad(
            "sagaId a number",
            n -> n.put("sagaId", 7),
            Reason.INVALID_ENVELOPE_FIELD,
            "sagaId must be a JSON string"),
        bad("sagaId missing", n -> n.remove("sagaId"), Reason.MISSING_ENVELOPE_FIELD, "sagaId"),
        bad(
            "sagaId with a colon",
            n -> n.put("sagaId", "a:b"),
            Reason.INVALID_ENVELOPE_FIELD,
            "sagaId must be an id"),
        bad(
            "sagaId too long",
            n -> n.put("sagaId", "s".repeat(65)),
            Reason.INVALID_ENVELOPE_FIELD,
            "sagaId must be an id"),
        bad(
            "sagaId another saga's",
            n -> n.put("sagaId", MessageIds.newSagaId()),
            Reason.INVALID_ENVELOPE_FIELD,
            "is not the payload's orderId"),
        bad(
            "causationId a number",
            n -> n.put("causationId", 1),
            Reason.INVALID_ENVELOPE_FIELD,
            "causationId must be a JSON string"),
        bad(
            "causationId with a space",
            n -> n.put("causationId", "x y"),
            Reason.INVALID_ENVELOPE_FIELD,
            "causationId must be null or a message id"),
        bad("type null", n -> n.putNull("type"), Reason.MISSING_ENVELOPE_FIELD, "type"),
        bad(
            "type a number",
            n -> n.put("type", 3),
            Reason.INVALID_ENVELOPE_FIELD,
            "type must be a JSON string"),
        bad(
            "type unknown",
            n -> n.put("type", "notification.SendSpam"),
            Reason.UNKNOWN_TYPE,
            "notification.SendSpam"),
        bad(
            "revision missing",
            n -> n.remove("revision"),
            Reason.MISSING_ENVELOPE_FIELD,
            "revision"),
        bad("revision null", n -> n.putNull("revision"), Reason.MISSING_ENVELOPE_FIELD, "revision"),
        bad(
            "revision a string",
            n -> n.put("revision", "x"),
            Reason.INVALID_ENVELOPE_FIELD,
            "revision must be a JSON integer"),
        bad(
            "revision a numeric string",
            n -> n.put("revision", "1"),
            Reason.INVALID_ENVELOPE_FIELD,
            "revision must be a JSON integer"),
        bad(
            "revision a fraction",
            n -> n.put("revision", 1.5),
            Reason.INVALID_ENVELOPE_FIELD,
            "revision must be a JSON integer"),
        bad(
            "revision zero",
            n -> n.put("revision", 0),
            Reason.INVALID_ENVELOPE_FIELD,
            "revision must be a JSON integer of 1 or more"),
        bad(
            "revision negative",
            n -> n.put("revision", -1),
            Reason.INVALID_ENVELOPE_FIELD,
            "revision must be a JSON integer of 1 or more"),
        bad(
            "revision beyond int",
            n -> n.put("revision", 4_294_967_297L),
            Reason.INVALID_ENVELOPE_FIELD,
            "revision must be a JSON integer"),
        bad(
            "revision unknown for the type",
            n -> n.put("revision", 2),
            Reason.UNKNOWN_TYPE,
            "revision 2"),
        bad(
            "occurredAt missing",
            n -> n.remove("occurredAt"),
            Reason.MISSING_ENVELOPE_FIELD,
            "occurredAt"),
        bad(
            "occurredAt a number",
            n -> n.put("occurredAt", 1764396000000L),
            Reason.INVALID_ENVELOPE_FIELD,
            "occurredAt must be a JSON string"),
        bad(
            "occurredAt not a date",
            n -> n.put("occurredAt", "yesterday"),
            Reason.INVALID_ENVELOPE_FIELD,
            "occurredAt must be an ISO-8601 instant"),
        bad(
            "occurredAt in year 1,000,000,000",
            n -> n.put("occurredAt", "+1000000000-01-01T00:00:00Z"),
            Reason.INVALID_ENVELOPE_FIELD,
            "occurredAt"),
        bad(
            "occurredAt in year -999,999,999",
            n -> n.put("occurredAt", "-999999999-01-01T00:00:00Z"),
            Reason.INVALID_ENVELOPE_FIELD,
            "occurredAt"),
        bad(
            "occurredAt tomorrow and a minute",
            n -> n.put("occurredAt", "2026-11-30T06:01:00Z"),
            Reason.INVALID_ENVELOPE_FIELD,
            "not within 10 years before and 1 day after now"),
        bad(
            "occurredAt eleven years ago",
            n -> n.put("occurredAt", "2015-11-29T06:00:00Z"),
            Reason.INVALID_ENVELOPE_FIELD,
            "not within 10 years before and 1 day after now"),
        bad(
            "trace a string",
            n -> n.put("trace", "00-abc"),
            Reason.INVALID_ENVELOPE_FIELD,
            "trace"),
        bad(
            "trace value a number",
            n -> ((ObjectNode) n.get("trace")).put("traceparent", 1),
            Reason.INVALID_ENVELOPE_FIELD,
            "trace.traceparent"),
        bad(
            "trace value too long",
            n -> ((ObjectNode) n.get("trace")).put("tracestate", "x".repeat(513)),
            Reason.INVALID_ENVELOPE_FIELD,
            "trace.tracestate"),
        bad("payload missing", n -> n.remove("payload"), Reason.MISSING_ENVELOPE_FIELD, "payload"),
        bad(
            "payload an array",
            n -> n.putArray("payload"),
            Reason.INVALID_ENVELOPE_FIELD,
            "payload must be a JSON object"),
        bad(
            "payload orderId a number",
            n -> payload(n).put("orderId", 42),
            Reason.INVALID_PAYLOAD,
            "orderId"),
        bad(
            "payload text too long",
            n -> customer(n).put("customerId", "n".repeat(1001)),
            Reason.INVALID_PAYLOAD,
            "payload.customer.customerId is longer than 1000"),
        bad(
            "payload control character",
            n -> customer(n).put("customerId", "Kim\u0000"),
            Reason.INVALID_PAYLOAD,
            "payload.customer.customerId holds a control character"),
        bad(
            "payload enum as a number",
            n -> payload(n).put("reason", 0),
            Reason.INVALID_PAYLOAD,
            "reason"),
        bad(
            "payload enum unknown",
            n -> payload(n).put("reason", "SHIPMENT_FAILED_AND_MORE"),
            Reason.INVALID_PAYLOAD,
            "reason"),
        bad("payload too deep", n -> deep(payload(n)), Reason.INVALID_PAYLOAD, "nested more than"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("malformedEnvelopes")
  void aMalformedEnvelopeIsUndecodableWithAReasonNamingTheField(
      String what, Consumer<ObjectNode> change, Reason reason, String says) throws IOException {
    ObjectNode node = notifyCustomer();
    change.accept(node);
    byte[] body = JSON.writeValueAsBytes(node);

    assertThatThrownBy(() -> codec.decode(body))
        .isInstanceOfSatisfying(
            UndecodableMessageException.class, e -> assertThat(e.reason()).isEqualTo(reason))
        .hasMessageContaining(says);
  }

  @Test
  void aLoneSurrogateInAPayloadTextIsInvalid() throws IOException {
    ObjectNode node = notifyCustomer();
    customer(node).put("customerId", "LONE");
    String json = JSON.writeValueAsString(node).replace("\"LONE\"", "\"Kim \\ud800\"");

    assertThatThrownBy(() -> codec.decode(json.getBytes(StandardCharsets.UTF_8)))
        .isInstanceOfSatisfying(
            UndecodableMessageException.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.INVALID_PAYLOAD))
        .hasMessageContaining("payload.customer.customerId holds a control character or invalid");
  }

  @Test
  void aFieldGivenTwiceIsMalformed() {
    String twice =
        "{\"messageId\":\"m-1\",\"messageId\":null,\"sagaId\":\"s-1\",\"type\":\"order.OrderApproved\","
            + "\"revision\":1,\"occurredAt\":\"2026-11-29T05:00:00Z\",\"payload\":{\"orderId\":\"s-1\"}}";

    assertThatThrownBy(() -> codec.decode(twice.getBytes(StandardCharsets.UTF_8)))
        .isInstanceOfSatisfying(
            UndecodableMessageException.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.MALFORMED_JSON))
        .hasMessageContaining("messageId");
  }

  @Test
  void aReasonQuotesAtMostAShortEscapedPieceOfTheSendersText() throws IOException {
    ObjectNode node = notifyCustomer();
    node.put("messageId", "x\r\n".repeat(10_000));

    assertThatThrownBy(() -> codec.decode(JSON.writeValueAsBytes(node)))
        .satisfies(
            e -> {
              assertThat(e.getMessage()).hasSizeLessThan(400).doesNotContain("\n", "\r");
              assertThat(e.getMessage()).contains("\\u000d\\u000a");
            });
  }

  @Test
  void theValidEnvelopeTheBadOnesStartFromDecodes() throws IOException {
    ObjectNode node = notifyCustomer();

    Envelope<Message> envelope = codec.decode(JSON.writeValueAsBytes(node));

    assertThat(envelope.payload()).isInstanceOf(NotifyCustomer.class);
    assertThat(envelope.occurredAt()).isEqualTo(Instant.parse("2026-11-21T09:30:00Z"));
  }

  @Test
  void theEdgesOfTheTimeWindowAreTaken() throws IOException {
    for (String at : new String[] {"2026-11-30T06:00:00Z", "2016-12-01T00:00:00Z"}) {
      ObjectNode node = notifyCustomer();
      node.put("occurredAt", at);
      assertThat(codec.decode(JSON.writeValueAsBytes(node)).occurredAt()).hasToString(at);
    }
  }

  @Test
  void idsOfEveryFormTheServicesMakeAreTaken() throws IOException {
    String saga = MessageIds.newSagaId();
    String key = MessageIds.idempotencyKey(saga, "REFUND_PAYMENT");
    String nested =
        MessageIds.scoped(
            key,
            "payment-service",
            "payment.PaymentRefundFailed",
            MessageIds.forStep(saga, "REFUND_PAYMENT", 12));
    ObjectNode node = notifyCustomer();
    node.put("sagaId", saga);
    payload(node).put("orderId", saga);
    node.put("messageId", nested);
    node.put("causationId", MessageIds.forStep(saga, "NOTIFY_CUSTOMER", 3));

    Envelope<Message> envelope = codec.decode(JSON.writeValueAsBytes(node));

    assertThat(envelope.messageId()).isEqualTo(nested);
    assertThat(envelope.sagaId()).isEqualTo(saga);
  }

  private static Arguments bad(
      String what, Consumer<ObjectNode> change, Reason reason, String says) {
    return Arguments.of(what, change, reason, says);
  }

  private static ObjectNode payload(ObjectNode envelope) {
    return (ObjectNode) envelope.get("payload");
  }

  private static ObjectNode customer(ObjectNode envelope) {
    return (ObjectNode) payload(envelope).get("customer");
  }

  private static void deep(ObjectNode payload) {
    ObjectNode level = payload.putObject("extra");
    for (int i = 0; i < 12; i++) {
      level = level.putObject("deeper");
    }
    level.set("end", NODES.textNode("x"));
  }

  static ObjectNode notifyCustomer() throws IOException {
    try (InputStream in =
        StrictEnvelopeTest.class.getResourceAsStream(
            "/golden/notification.NotifyCustomer.r1.json")) {
      return (ObjectNode) JSON.readTree(in);
    }
  }
}
