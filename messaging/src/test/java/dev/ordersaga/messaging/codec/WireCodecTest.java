package dev.ordersaga.messaging.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ordersaga.messaging.Envelope;
import dev.ordersaga.messaging.Message;
import dev.ordersaga.messaging.WireType;
import dev.ordersaga.messaging.codec.UndecodableMessageException.Reason;
import dev.ordersaga.messaging.contracts.Money;
import dev.ordersaga.messaging.contracts.order.OrderPlaced;
import dev.ordersaga.messaging.contracts.payment.AuthorizePayment;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class WireCodecTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private final WireCodec codec = new WireCodec(MessageTypes.orderSaga());

  static Stream<Class<? extends Message>> everyMessageType() {
    return MessageTypes.orderSaga().all().stream();
  }

  @ParameterizedTest
  @MethodSource("everyMessageType")
  void goldenSampleOfEveryRevisionStillDecodes(Class<? extends Message> type) throws IOException {
    WireType wireType = Envelope.wireTypeOf(type);
    byte[] golden = golden(wireType.name() + ".r" + wireType.revision());

    Envelope<Message> envelope = codec.decode(golden);

    assertThat(envelope.payload()).isInstanceOf(type);
    assertThat(envelope.type()).isEqualTo(wireType.name());
    assertThat(envelope.revision()).isEqualTo(wireType.revision());
    assertThat(envelope.sagaId()).isEqualTo(envelope.payload().orderId());
    assertThat(envelope.occurredAt()).isEqualTo(Instant.parse("2026-11-21T09:30:00Z"));
    assertThat(envelope.trace()).containsKey("traceparent");
  }

  @ParameterizedTest
  @MethodSource("everyMessageType")
  void encodingADecodedGoldenSampleGivesTheSameJson(Class<? extends Message> type)
      throws IOException {
    WireType wireType = Envelope.wireTypeOf(type);
    byte[] golden = golden(wireType.name() + ".r" + wireType.revision());

    byte[] encoded = codec.encode(codec.decode(golden));

    assertThat(JSON.readTree(encoded)).isEqualTo(JSON.readTree(golden));
  }

  @Test
  void unknownFieldsAtAnyLevelAreIgnored() throws IOException {
    ObjectNode node = goldenNode("payment.AuthorizePayment.r1");
    node.put("addedByANewerSender", true);
    ((ObjectNode) node.get("payload")).put("loyaltyPoints", 120);
    ((ObjectNode) node.get("payload").get("amount")).put("minorUnits", 3300);

    AuthorizePayment payment = (AuthorizePayment) codec.decode(bytes(node)).payload();

    assertThat(payment.amount()).isEqualTo(new Money(new BigDecimal("33.00"), "EUR"));
    assertThat(payment.customerId()).isEqualTo("cust-42");
  }

  @Test
  void unknownTypeIsUndecodable() throws IOException {
    ObjectNode node = goldenNode("order.OrderApproved.r1");
    node.put("type", "order.OrderTeleported");

    assertThatThrownBy(() -> codec.decode(bytes(node)))
        .isInstanceOfSatisfying(
            UndecodableMessageException.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.UNKNOWN_TYPE))
        .hasMessageContaining("order.OrderTeleported");
  }

  @Test
  void unknownRevisionOfAKnownTypeIsUndecodable() throws IOException {
    ObjectNode node = goldenNode("order.OrderApproved.r1");
    node.put("revision", 7);

    assertThatThrownBy(() -> codec.decode(bytes(node)))
        .isInstanceOfSatisfying(
            UndecodableMessageException.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.UNKNOWN_TYPE))
        .hasMessageContaining("revision 7");
  }

  @Test
  void bodyThatIsNotJsonIsUndecodable() {
    assertThatThrownBy(() -> codec.decode("<order/>".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOfSatisfying(
            UndecodableMessageException.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.MALFORMED_JSON));
  }

  @Test
  void payloadMissingARequiredFieldIsUndecodableAndNamesTheField() throws IOException {
    ObjectNode node = goldenNode("payment.AuthorizePayment.r1");
    ((ObjectNode) node.get("payload")).remove("idempotencyKey");

    assertThatThrownBy(() -> codec.decode(bytes(node)))
        .isInstanceOfSatisfying(
            UndecodableMessageException.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.INVALID_PAYLOAD))
        .hasMessageContaining("idempotencyKey");
  }

  @Test
  void negativeAmountIsUndecodable() throws IOException {
    ObjectNode node = goldenNode("payment.AuthorizePayment.r1");
    ((ObjectNode) node.get("payload").get("amount")).put("amount", "-1.00");

    assertThatThrownBy(() -> codec.decode(bytes(node)))
        .isInstanceOfSatisfying(
            UndecodableMessageException.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.INVALID_PAYLOAD))
        .hasMessageContaining("negative");
  }

  @Test
  void envelopeWithoutMessageIdIsUndecodable() throws IOException {
    ObjectNode node = goldenNode("order.OrderPlaced.r1");
    node.remove("messageId");

    assertThatThrownBy(() -> codec.decode(bytes(node)))
        .isInstanceOfSatisfying(
            UndecodableMessageException.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.MISSING_ENVELOPE_FIELD))
        .hasMessageContaining("messageId");
  }

  @Test
  void amountsTravelAsDecimalStringsKeepingTheirScale() throws IOException {
    Envelope<Message> placed = codec.decode(golden("order.OrderPlaced.r1"));

    JsonNode encoded = JSON.readTree(codec.encode(placed));

    assertThat(encoded.at("/payload/total/amount").isTextual()).isTrue();
    assertThat(encoded.at("/payload/total/amount").asText()).isEqualTo("33.00");
    assertThat(((OrderPlaced) placed.payload()).total().amount()).isEqualByComparingTo("33");
  }

  private static byte[] golden(String name) throws IOException {
    try (InputStream in = WireCodecTest.class.getResourceAsStream("/golden/" + name + ".json")) {
      assertThat(in).as("golden sample golden/%s.json", name).isNotNull();
      return in.readAllBytes();
    }
  }

  private static ObjectNode goldenNode(String name) throws IOException {
    return (ObjectNode) JSON.readTree(golden(name));
  }

  private static byte[] bytes(JsonNode node) throws IOException {
    return JSON.writeValueAsBytes(node);
  }
}
