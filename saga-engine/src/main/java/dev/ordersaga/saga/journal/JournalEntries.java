package dev.ordersaga.saga.journal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import dev.ordersaga.saga.journal.JournalTypes.Kind;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import org.axonframework.common.DateTimeUtils;
import org.bson.Document;

/** Turns a stored journal document ({@code domainevents}) into the event analysts see. */
final class JournalEntries {

  private final JournalTypes journalTypes;
  private final ObjectMapper json;

  JournalEntries(JournalTypes journalTypes, ObjectMapper json) {
    this.journalTypes = journalTypes;
    this.json = json;
  }

  /** A stored entry, with the type of the stream it belongs to. */
  record Stored(String streamType, JournalEvent event) {}

  Stored toStored(Document document) {
    return new Stored(document.getString(JournalFields.STREAM_TYPE), toEvent(document));
  }

  /**
   * A stored entry as analysts see it. Wire type, revision and direction come from the entry's
   * metadata (as the journal wrote them), else from its payload class; anything unreadable is left
   * {@code null} rather than failing the read.
   */
  JournalEvent toEvent(Document document) {
    JsonNode metadata = parse(document.get(JournalFields.METADATA));
    Optional<Kind> kind = journalTypes.ofClassName(document.getString(JournalFields.PAYLOAD_TYPE));
    String type = text(metadata, SagaJournal.MESSAGE_TYPE);
    if (type == null) {
      type = kind.map(Kind::wireType).orElse(null);
    }
    JsonNode revisionNode = metadata.path(SagaJournal.REVISION);
    Integer revision =
        revisionNode.isIntegralNumber()
            ? Integer.valueOf(revisionNode.asInt())
            : kind.map(Kind::revision).orElse(null);
    String direction = text(metadata, SagaJournal.DIRECTION);
    if (direction == null) {
      direction = kind.map(k -> k.direction().wire()).orElse(null);
    }
    Number sequence = document.get(JournalFields.SEQUENCE, Number.class);
    return new JournalEvent(
        document.getString(JournalFields.EVENT_ID),
        document.getString(JournalFields.SAGA_ID),
        sequence == null ? -1 : sequence.longValue(),
        type,
        revision,
        direction,
        text(metadata, SagaJournal.CAUSATION_ID),
        instant(text(metadata, SagaJournal.OCCURRED_AT)),
        instant(document.getString(JournalFields.RECORDED_AT)),
        traceId(text(metadata, "traceparent")),
        payload(document.get(JournalFields.PAYLOAD)));
  }

  /** The trace id of a W3C {@code traceparent} ({@code 00-<trace id>-<span id>-<flags>}). */
  static String traceId(String traceparent) {
    if (traceparent == null) {
      return null;
    }
    String[] parts = traceparent.split("-");
    return parts.length == 4 && parts[1].matches("[0-9a-f]{32}") ? parts[1] : null;
  }

  /** The payload as JSON: stored JSON as it is, anything else (not written by Jackson) quoted. */
  private String payload(Object stored) {
    String text = jsonText(stored);
    if (text == null) {
      return null;
    }
    String start = text.stripLeading();
    if (start.startsWith("{") || start.startsWith("[")) {
      return text;
    }
    try {
      return json.writeValueAsString(text);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a string always writes as JSON", e);
    }
  }

  private JsonNode parse(Object stored) {
    String text = jsonText(stored);
    if (text == null) {
      return MissingNode.getInstance();
    }
    try {
      return json.readTree(text);
    } catch (JsonProcessingException e) {
      return MissingNode.getInstance();
    }
  }

  /**
   * Payload and metadata are JSON text (Jackson serializer); a stored document is turned into it.
   */
  private static String jsonText(Object stored) {
    if (stored instanceof String text) {
      return text;
    }
    if (stored instanceof Document document) {
      return document.toJson();
    }
    return null;
  }

  private static String text(JsonNode node, String field) {
    JsonNode value = node.path(field);
    return value.isValueNode() && !value.isNull() ? value.asText() : null;
  }

  private static Instant instant(String text) {
    if (text == null) {
      return null;
    }
    try {
      return DateTimeUtils.parseInstant(text);
    } catch (DateTimeParseException e) {
      return null;
    }
  }
}
