package dev.ordersaga.saga.view;

import com.fasterxml.jackson.annotation.JsonRawValue;
import dev.ordersaga.saga.journal.JournalEvent;
import java.time.Instant;

/**
 * One message in a saga's history, as {@code GET /sagas/{orderId}} and the operator API's saga
 * timeline show it.
 *
 * @param traceId the trace of the span that made the message (see {@link JournalEvent#traceId()})
 * @param payload the message body as the journal holds it, written out as a JSON object
 */
public record HistoryEntry(
    long sequence,
    String direction,
    String type,
    String messageId,
    String causationId,
    Instant recordedAt,
    String traceId,
    @JsonRawValue String payload) {

  /** The entry of one event of a saga's stream in the journal. */
  public static HistoryEntry of(JournalEvent event) {
    return new HistoryEntry(
        event.sequence(),
        event.direction(),
        event.type(),
        event.eventId(),
        event.causationId(),
        event.recordedAt(),
        event.traceId(),
        event.payload());
  }
}
