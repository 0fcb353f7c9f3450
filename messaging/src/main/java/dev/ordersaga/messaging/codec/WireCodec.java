package dev.ordersaga.messaging.codec;

import static dev.ordersaga.messaging.codec.UndecodableMessageException.Reason.INVALID_ENVELOPE_FIELD;
import static dev.ordersaga.messaging.codec.UndecodableMessageException.Reason.INVALID_PAYLOAD;
import static dev.ordersaga.messaging.codec.UndecodableMessageException.Reason.MALFORMED_JSON;
import static dev.ordersaga.messaging.codec.UndecodableMessageException.Reason.MISSING_ENVELOPE_FIELD;
import static dev.ordersaga.messaging.codec.UndecodableMessageException.Reason.UNKNOWN_TYPE;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.ordersaga.messaging.Envelope;
import dev.ordersaga.messaging.Message;
import dev.ordersaga.messaging.MessageIds;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Predicate;

/**
 * JSON on the wire. An envelope is one JSON object: its fields, then {@code payload}. Unknown
 * fields are ignored at every level, so a sender may add fields without breaking older readers.
 *
 * <p>{@link #decode} is the one strict reader of every message a service takes in (from its queue,
 * and from its own store when it sends a stored message again); what it refuses, the consumer parks
 * as {@code UNDECODABLE} with the reason. The rules:
 *
 * <ul>
 *   <li>the body: one JSON object, no field given twice;
 *   <li>{@code messageId}: a JSON string of the form {@link MessageIds#isMessageId}; {@code
 *       causationId}: absent, {@code null} or of the same form;
 *   <li>{@code sagaId}: a JSON string of the form {@link MessageIds#isSagaId}, equal to the
 *       payload's {@code orderId};
 *   <li>{@code type}: a JSON string; {@code revision}: a JSON integer of 1 or more; this codec must
 *       know that revision of that type ({@code UNKNOWN_TYPE} otherwise);
 *   <li>{@code occurredAt}: a JSON string, an ISO-8601 instant no earlier than {@link #MAX_AGE}
 *       before now and no later than {@link #MAX_AHEAD} after it (clocks drift; a message from the
 *       far past or future is forged or broken);
 *   <li>{@code trace}: absent, or an object of at most {@value #MAX_TRACE_ENTRIES} string values of
 *       at most {@value #MAX_TRACE_VALUE} characters;
 *   <li>{@code payload}: an object its record reads without coercion (no number for a text, no text
 *       or fraction for a number, no number for an enum), every text in it at most {@value
 *       #MAX_TEXT} characters of valid Unicode without control characters.
 * </ul>
 */
public final class WireCodec {

  /** The oldest {@code occurredAt} a reader takes, before now. */
  public static final Duration MAX_AGE = Duration.ofDays(3653);

  /** The latest {@code occurredAt} a reader takes, after now. */
  public static final Duration MAX_AHEAD = Duration.ofDays(1);

  /** The longest text in a payload. */
  public static final int MAX_TEXT = 1000;

  static final int MAX_TRACE_ENTRIES = 8;
  static final int MAX_TRACE_VALUE = 512;

  private final MessageTypes types;
  private final ObjectMapper mapper;
  private final Clock clock;

  public WireCodec(MessageTypes types) {
    this(types, Clock.systemUTC());
  }

  /**
   * @param clock the now that {@code occurredAt} is checked against
   */
  public WireCodec(MessageTypes types, Clock clock) {
    this.types = types;
    this.clock = clock;
    JsonMapper strict =
        JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS)
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .build();
    for (CoercionInputShape scalar :
        new CoercionInputShape[] {
          CoercionInputShape.Integer, CoercionInputShape.Float, CoercionInputShape.Boolean
        }) {
      strict.coercionConfigFor(LogicalType.Textual).setCoercion(scalar, CoercionAction.Fail);
    }
    strict
        .coercionConfigFor(LogicalType.Integer)
        .setCoercion(CoercionInputShape.String, CoercionAction.Fail);
    this.mapper = strict;
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
   * Reads an envelope and its payload, by the rules in the class comment.
   *
   * @throws UndecodableMessageException when the body is not a JSON object, lacks an envelope field
   *     or holds one of the wrong type, form or range, names a type or revision this codec does not
   *     know, or carries a payload that does not validate; its message names the field
   */
  public Envelope<Message> decode(byte[] body) {
    JsonNode node;
    try {
      node = mapper.readTree(body);
    } catch (IOException e) {
      throw new UndecodableMessageException(
          MALFORMED_JSON, "body is not JSON: " + Texts.cut(rootMessage(e)), e);
    }
    if (node == null || !node.isObject()) {
      throw new UndecodableMessageException(MALFORMED_JSON, "body is not a JSON object", null);
    }
    String messageId =
        string(
            node,
            "messageId",
            MessageIds::isMessageId,
            "an id of [A-Za-z0-9._:-], at most " + MessageIds.MAX_MESSAGE_ID + " characters");
    String sagaId =
        string(
            node,
            "sagaId",
            MessageIds::isSagaId,
            "an id of [A-Za-z0-9._-], at most " + MessageIds.MAX_SAGA_ID + " characters");
    String causationId =
        node.hasNonNull("causationId")
            ? string(node, "causationId", MessageIds::isMessageId, "null or a message id")
            : null;
    String type = string(node, "type", text -> text.length() <= 100, "at most 100 characters");
    int revision = revision(node);
    Instant occurredAt = occurredAt(node);
    Map<String, String> trace = trace(node.get("trace"));
    Class<? extends Message> payloadType =
        types
            .lookup(type, revision)
            .orElseThrow(
                () ->
                    new UndecodableMessageException(
                        UNKNOWN_TYPE,
                        "no reader for " + Texts.cut(type) + " revision " + revision,
                        null));
    JsonNode payloadNode = node.get("payload");
    if (payloadNode == null || payloadNode.isNull()) {
      throw new UndecodableMessageException(
          MISSING_ENVELOPE_FIELD, "envelope field payload is missing", null);
    }
    if (!payloadNode.isObject()) {
      throw new UndecodableMessageException(
          INVALID_ENVELOPE_FIELD, "envelope field payload must be a JSON object", null);
    }
    Texts.check(payloadNode, "payload", MAX_TEXT);
    Message payload;
    try {
      payload = mapper.treeToValue(payloadNode, payloadType);
    } catch (JsonProcessingException | IllegalArgumentException e) {
      throw new UndecodableMessageException(INVALID_PAYLOAD, type + ": " + payloadProblem(e), e);
    }
    if (!sagaId.equals(payload.orderId())) {
      throw new UndecodableMessageException(
          INVALID_ENVELOPE_FIELD,
          "envelope field sagaId " + sagaId + " is not the payload's orderId",
          null);
    }
    try {
      return new Envelope<>(
          messageId, sagaId, causationId, type, revision, occurredAt, trace, payload);
    } catch (IllegalArgumentException e) {
      throw new UndecodableMessageException(INVALID_ENVELOPE_FIELD, rootMessage(e), e);
    }
  }

  private static String string(
      JsonNode node, String field, Predicate<String> form, String expected) {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      throw new UndecodableMessageException(
          MISSING_ENVELOPE_FIELD, "envelope field " + field + " is missing", null);
    }
    if (!value.isTextual()) {
      throw new UndecodableMessageException(
          INVALID_ENVELOPE_FIELD,
          "envelope field " + field + " must be a JSON string, was " + value.getNodeType(),
          null);
    }
    String text = value.textValue();
    if (text.isBlank()) {
      throw new UndecodableMessageException(
          MISSING_ENVELOPE_FIELD, "envelope field " + field + " is blank", null);
    }
    if (!form.test(text)) {
      throw new UndecodableMessageException(
          INVALID_ENVELOPE_FIELD,
          "envelope field " + field + " must be " + expected + ", was " + Texts.quote(text),
          null);
    }
    return text;
  }

  private static int revision(JsonNode node) {
    JsonNode value = node.get("revision");
    if (value == null || value.isNull()) {
      throw new UndecodableMessageException(
          MISSING_ENVELOPE_FIELD, "envelope field revision is missing", null);
    }
    if (!value.isIntegralNumber() || !value.canConvertToInt() || value.intValue() < 1) {
      throw new UndecodableMessageException(
          INVALID_ENVELOPE_FIELD,
          "envelope field revision must be a JSON integer of 1 or more, was "
              + Texts.cut(value.toString()),
          null);
    }
    return value.intValue();
  }

  private Instant occurredAt(JsonNode node) {
    String text = string(node, "occurredAt", t -> t.length() <= 40, "an ISO-8601 instant");
    Instant at;
    try {
      at = Instant.parse(text);
    } catch (DateTimeParseException e) {
      throw new UndecodableMessageException(
          INVALID_ENVELOPE_FIELD,
          "envelope field occurredAt must be an ISO-8601 instant such as 2026-05-01T10:00:00Z,"
              + " was "
              + Texts.quote(text),
          e);
    }
    Instant now = clock.instant();
    if (at.isBefore(now.minus(MAX_AGE)) || at.isAfter(now.plus(MAX_AHEAD))) {
      throw new UndecodableMessageException(
          INVALID_ENVELOPE_FIELD,
          "envelope field occurredAt "
              + text
              + " is not within 10 years before and 1 day after now ("
              + now
              + ")",
          null);
    }
    return at;
  }

  private static Map<String, String> trace(JsonNode node) {
    Map<String, String> trace = new LinkedHashMap<>();
    if (node == null || node.isNull()) {
      return trace;
    }
    if (!node.isObject() || node.size() > MAX_TRACE_ENTRIES) {
      throw new UndecodableMessageException(
          INVALID_ENVELOPE_FIELD,
          "envelope field trace must be an object of at most " + MAX_TRACE_ENTRIES + " strings",
          null);
    }
    for (Map.Entry<String, JsonNode> field : node.properties()) {
      JsonNode value = field.getValue();
      if (!value.isTextual()
          || field.getKey().length() > 64
          || value.textValue().length() > MAX_TRACE_VALUE
          || !Texts.isPlain(field.getKey())
          || !Texts.isPlain(value.textValue())) {
        throw new UndecodableMessageException(
            INVALID_ENVELOPE_FIELD,
            "envelope field trace."
                + Texts.cut(field.getKey())
                + " must be a string of at most "
                + MAX_TRACE_VALUE
                + " characters without control characters",
            null);
      }
      trace.put(field.getKey(), value.textValue());
    }
    return trace;
  }

  /** Where in the payload it went wrong, and what, without the parser's copy of the input. */
  private static String payloadProblem(Exception e) {
    if (e instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()) {
      StringBuilder path = new StringBuilder("payload");
      for (JsonMappingException.Reference reference : mapping.getPath()) {
        if (reference.getFieldName() != null) {
          path.append('.').append(Texts.cut(reference.getFieldName()));
        } else if (reference.getIndex() >= 0) {
          path.append('[').append(reference.getIndex()).append(']');
        }
      }
      String problem =
          mapping.getCause() instanceof IllegalArgumentException invalid
              ? invalid.getMessage()
              : mapping.getOriginalMessage();
      return path + ": " + Texts.cut(problem);
    }
    return Texts.cut(rootMessage(e));
  }

  private static String rootMessage(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return String.valueOf(root.getMessage());
  }
}
