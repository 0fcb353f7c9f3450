package dev.ordersaga.saga.journal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.time.Instant;
import org.bson.Document;
import org.junit.jupiter.api.Test;

class JournalEntriesTest {

  private static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule());
  private final JournalEntries entries = new JournalEntries(JournalTypes.orderSaga(), JSON);

  private static Document stored(String payloadType, Object payload, Object metadata) {
    return new Document("type", "OrderSaga")
        .append("aggregateIdentifier", "o-1")
        .append("sequenceNumber", 4L)
        .append("eventIdentifier", "e-1")
        .append("timestamp", "2026-05-01T10:00:00.123Z")
        .append("payloadType", payloadType)
        .append("payloadRevision", null)
        .append("serializedPayload", payload)
        .append("serializedMetaData", metadata);
  }

  @Test
  void anEntryAsTheJournalWritesIt() throws Exception {
    JournalEvent event =
        entries.toEvent(
            stored(
                "dev.ordersaga.messaging.contracts.payment.PaymentDeclined",
                "{\"orderId\":\"o-1\",\"reason\":\"CARD_EXPIRED\",\"detail\":null}",
                "{\"direction\":\"in\",\"type\":\"payment.PaymentDeclined\",\"revision\":1,"
                    + "\"causationId\":\"c-1\",\"occurredAt\":\"2026-05-01T09:59:59.999999Z\","
                    + "\"traceparent\":\"00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01\"}"));

    assertThat(event)
        .isEqualTo(
            new JournalEvent(
                "e-1",
                "o-1",
                4,
                "payment.PaymentDeclined",
                1,
                "in",
                "c-1",
                Instant.parse("2026-05-01T09:59:59.999999Z"),
                Instant.parse("2026-05-01T10:00:00.123Z"),
                "4bf92f3577b34da6a3ce929d0e0e4736",
                "{\"orderId\":\"o-1\",\"reason\":\"CARD_EXPIRED\",\"detail\":null}"));
    assertThat(
            JSON.readTree(JSON.writeValueAsString(event)).path("payload").path("reason").asText())
        .isEqualTo("CARD_EXPIRED");
  }

  @Test
  void withoutMetadataAKnownClassGivesTypeRevisionAndDirection() {
    JournalEvent event =
        entries.toEvent(
            stored(
                "dev.ordersaga.saga.StepTimedOut",
                new Document("orderId", "o-1").append("step", "APPROVE_ORDER").append("attempt", 2),
                null));

    assertThat(event.type()).isEqualTo("saga.StepTimedOut");
    assertThat(event.revision()).isEqualTo(1);
    assertThat(event.direction()).isEqualTo("in");
    assertThat(event.occurredAt()).isNull();
    assertThat(event.payload()).contains("\"step\": \"APPROVE_ORDER\"");
  }

  @Test
  void anUnknownClassIsReadAsFarAsItGoes() throws Exception {
    JournalEvent withMetadata =
        entries.toEvent(
            stored(
                "com.example.Retired",
                "{\"orderId\":\"o-1\"}",
                "{\"direction\":\"out\",\"type\":\"legacy.Retired\",\"revision\":3}"));
    JournalEvent bare = entries.toEvent(stored("com.example.Retired", "<xml/>", "not json"));

    assertThat(withMetadata.type()).isEqualTo("legacy.Retired");
    assertThat(withMetadata.revision()).isEqualTo(3);
    assertThat(withMetadata.direction()).isEqualTo("out");
    assertThat(bare.type()).isNull();
    assertThat(bare.revision()).isNull();
    assertThat(bare.direction()).isNull();
    assertThat(bare.causationId()).isNull();
    // a payload that is not JSON comes out as a JSON string, so the response stays valid JSON
    assertThat(JSON.readTree(JSON.writeValueAsString(bare)).path("payload").asText())
        .isEqualTo("<xml/>");
  }
}
