package dev.ordersaga.saga.analytics;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoCursor;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Sorts;
import dev.ordersaga.saga.journal.SagaJournal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.bson.Document;
import org.bson.conversions.Bson;

/**
 * Reads the journal (collection {@code domainevents}) for analysts, straight from the store: pages
 * in recorded-time order (then event id), or every matching entry through a cursor that fetches a
 * batch at a time, so a read of any size holds one batch in memory.
 */
public final class JournalReader {

  /** Entries in the order analysts get them. */
  static final Bson RECORDED_ORDER =
      Sorts.ascending(JournalFields.RECORDED_AT, JournalFields.EVENT_ID);

  /** Entries saga by saga, each saga's in stream order. */
  static final Bson STREAM_ORDER = Sorts.ascending(JournalFields.SAGA_ID, JournalFields.SEQUENCE);

  private final MongoCollection<Document> events;
  private final JournalTypes journalTypes;
  private final JournalEntries entries;

  public JournalReader(MongoDatabase database, JournalTypes journalTypes, ObjectMapper json) {
    this.events = database.getCollection(JournalFields.COLLECTION);
    this.journalTypes = journalTypes;
    this.entries = new JournalEntries(journalTypes, json);
  }

  /** A page of events, and where it ended when more may follow. */
  record Page(List<JournalEvent> events, Position next) {}

  /** Where a page ended (recorded time as stored, and event id); the next page starts after it. */
  record Position(String recordedAt, String eventId) {}

  /** Up to {@code size} events after {@code after} (or from the first when it is null). */
  Page page(EventFilter filter, Position after, int size) {
    Bson query = filter.toQuery(journalTypes);
    if (after != null) {
      query =
          Filters.and(
              query,
              Filters.or(
                  Filters.gt(JournalFields.RECORDED_AT, after.recordedAt()),
                  Filters.and(
                      Filters.eq(JournalFields.RECORDED_AT, after.recordedAt()),
                      Filters.gt(JournalFields.EVENT_ID, after.eventId()))));
    }
    List<JournalEvent> found = new ArrayList<>(size + 1);
    try (MongoCursor<Document> cursor =
        events.find(query).sort(RECORDED_ORDER).limit(size + 1).batchSize(size + 1).iterator()) {
      while (cursor.hasNext()) {
        found.add(entries.toEvent(cursor.next()));
      }
    }
    if (found.size() <= size) {
      return new Page(found, null);
    }
    List<JournalEvent> page = found.subList(0, size);
    JournalEvent last = page.get(size - 1);
    return new Page(
        List.copyOf(page), new Position(EventFilter.storedTime(last.recordedAt()), last.eventId()));
  }

  /** Every event matching the filter, in recorded order, fetched {@code batchSize} at a time. */
  public void forEach(EventFilter filter, int batchSize, Consumer<JournalEvent> sink) {
    read(filter.toQuery(journalTypes), RECORDED_ORDER, batchSize, sink);
  }

  /** Every event recorded at or after {@code from}, saga by saga, each in stream order. */
  void forEachBySaga(Instant from, int batchSize, Consumer<JournalEvent> sink) {
    Bson query = Filters.eq(JournalFields.STREAM_TYPE, SagaJournal.STREAM_TYPE);
    if (from != null) {
      query =
          Filters.and(query, Filters.gte(JournalFields.RECORDED_AT, EventFilter.storedTime(from)));
    }
    read(query, STREAM_ORDER, batchSize, sink);
  }

  private void read(Bson query, Bson order, int batchSize, Consumer<JournalEvent> sink) {
    try (MongoCursor<Document> cursor =
        events.find(query).sort(order).batchSize(batchSize).iterator()) {
      while (cursor.hasNext()) {
        sink.accept(entries.toEvent(cursor.next()));
      }
    }
  }
}
