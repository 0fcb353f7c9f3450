package dev.ordersaga.messaging.codec;

import static dev.ordersaga.messaging.codec.UndecodableMessageException.Reason.INVALID_PAYLOAD;
import static dev.ordersaga.messaging.codec.UndecodableMessageException.Reason.MALFORMED_JSON;
import static dev.ordersaga.messaging.codec.UndecodableMessageException.Reason.MISSING_ENVELOPE_FIELD;
import static dev.ordersaga.messaging.codec.UndecodableMessageException.Reason.UNKNOWN_TYPE;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.ordersaga.messaging.Envelope;
import dev.ordersaga.messaging.Message;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * JSON on the wire. An envelope is one JSON object: its fields, then {@code payload}. Unknown
 * fields are ignored at every level, so a sender may add fields without breaking older readers.
 */
public final class WireCodec {

  private final MessageTypes types;
  private final ObjectMapper mapper;

  public WireCodec(MessageTypes types) {
    this.types = types;
    this.mapper =
        JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .build();
  }

  public MessageTypes types() {
    return types;
  }

  public byte[] encode(Envelope<?> envelope) {
    ObjectNode node = mapper.createObjectNode();
    node.put("messageId", envelope.messageId());
    node.put("sagaId", envelope.sagaId());
    node.put("causationId", envelope.causationId());
    node.put("type", envelope.type());
    node.put("revision", envelope.revision());
    node.put("occurredAt", envelope.occurredAt().toString());
    node.set("trace", mapper.valueToTree(envelope.trace()));
    node.set("payload", mapper.valueToTree(envelope.payload()));
    try {
      return mapper.writeValueAsBytes(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot encode " + envelope.type(), e);
    }
  }

  /**
   * Reads an envelope and its payload.
   *
   * @throws UndecodableMessageException when the body is not JSON, lacks an envelope field, names a
   *     type or revision this codec does not know, or carries a payload that does not validate
   */
  public Envelope<Message> decode(byte[] body) {
    JsonNode node;
    try {
      node = mapper.readTree(body);
    } catch (IOException e) {
      throw new UndecodableMessageException(MALFORMED_JSON, "body is not JSON", e);
    }
    if (node == null || !node.isObject()) {
      throw new UndecodableMessageException(MALFORMED_JSON, "body is not a JSON object", null);
    }
    String type = text(node, "type");
    int revision = node.path("revision").asInt(1);
    Class<? extends Message> payloadType =
        types
            .lookup(type, revision)
            .orElseThrow(
                () ->
                    new UndecodableMessageException(
                        UNKNOWN_TYPE, "no reader for " + type + " revision " + revision, null));
    JsonNode payloadNode = node.get("payload");
    if (payloadNode == null || !payloadNode.isObject()) {
      throw new UndecodableMessageException(MISSING_ENVELOPE_FIELD, "payload is missing", null);
    }
    Message payload;
    try {
      payload = mapper.treeToValue(payloadNode, payloadType);
    } catch (JsonProcessingException | IllegalArgumentException e) {
      throw new UndecodableMessageException(INVALID_PAYLOAD, type + ": " + rootMessage(e), e);
    }
    try {
      return new Envelope<>(
          text(node, "messageId"),
          text(node, "sagaId"),
          node.hasNonNull("causationId") ? node.get("causationId").asText() : null,
          type,
          revision,
          Instant.parse(text(node, "occurredAt")),
          trace(node.get("trace")),
          payload);
    } catch (DateTimeParseException | IllegalArgumentException e) {
      throw new UndecodableMessageException(MISSING_ENVELOPE_FIELD, rootMessage(e), e);
    }
  }

  private static String text(JsonNode node, String field) {
    JsonNode value = node.get(field);
    if (value == null || !value.isValueNode() || value.asText().isBlank()) {
      throw new UndecodableMessageException(
          MISSING_ENVELOPE_FIELD, "envelope field " + field + " is missing", null);
    }
    return value.asText();
  }

  private static Map<String, String> trace(JsonNode node) {
    Map<String, String> trace = new LinkedHashMap<>();
    if (node != null && node.isObject()) {
      for (Map.Entry<String, JsonNode> field : node.properties()) {
        if (field.getValue().isValueNode()) {
          trace.put(field.getKey(), field.getValue().asText());
        }
      }
    }
    return trace;
  }

  private static String rootMessage(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root.getMessage();
  }
}
