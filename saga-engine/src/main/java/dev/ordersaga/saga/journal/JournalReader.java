package dev.ordersaga.saga.journal;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoCursor;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.Sorts;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.function.Consumer;
import org.axonframework.common.DateTimeUtils;
import org.bson.Document;
import org.bson.conversions.Bson;

/**
 * Reads the journal (collection {@code domainevents}) straight from the store, as {@link
 * JournalEvent}s: one saga's history; pages in recorded-time order (then event id); or every
 * matching entry through a cursor that fetches a batch at a time, so a read of any size holds one
 * batch in memory. With {@link SagaJournal} the only class that knows how Axon's Mongo storage lays
 * an entry out ({@link JournalFields}); it declares the indexes its reads need (for MongoDB; the
 * embedded store ignores non-unique ones and scans).
 */
public final class JournalReader {

  /** Events in recorded order: every page, export and time range. */
  public static final String RECORDED_ORDER_INDEX = "recordedOrder";

  /** Events of some types (type, service, direction filters) in recorded order. */
  public static final String PAYLOAD_TYPE_INDEX = "payloadTypeRecordedOrder";

  /** Entries in recorded order, then event id. */
  public static final Bson RECORDED_ORDER =
      Sorts.ascending(JournalFields.RECORDED_AT, JournalFields.EVENT_ID);

  /** Entries saga by saga, each saga's in stream order. */
  public static final Bson STREAM_ORDER =
      Sorts.ascending(JournalFields.SAGA_ID, JournalFields.SEQUENCE);

  private final MongoCollection<Document> events;
  private final JournalTypes journalTypes;
  private final JournalEntries entries;

  public JournalReader(MongoDatabase database, JournalTypes journalTypes, ObjectMapper json) {
    this.events = database.getCollection(JournalFields.COLLECTION);
    this.journalTypes = journalTypes;
    this.entries = new JournalEntries(journalTypes, json);
    events.createIndex(
        Indexes.ascending(JournalFields.RECORDED_AT, JournalFields.EVENT_ID),
        new IndexOptions().name(RECORDED_ORDER_INDEX));
    events.createIndex(
        Indexes.ascending(
            JournalFields.PAYLOAD_TYPE, JournalFields.RECORDED_AT, JournalFields.EVENT_ID),
        new IndexOptions().name(PAYLOAD_TYPE_INDEX));
  }

  /** The kinds of message the journal holds. */
  public JournalTypes types() {
    return journalTypes;
  }

  /** A page of events, and where it ended when more may follow. */
  public record Page(List<JournalEvent> events, Position next) {}

  /** Where a page ended (recorded time as stored, and event id); the next page starts after it. */
  public record Position(String recordedAt, String eventId) {}

  /** The saga's stream, oldest first. */
  public List<JournalEvent> history(String sagaId) {
    List<JournalEvent> history = new ArrayList<>();
    read(
        Filters.eq(JournalFields.SAGA_ID, sagaId),
        Sorts.ascending(JournalFields.SEQUENCE),
        1000,
        event -> {
          if (SagaJournal.STREAM_TYPE.equals(event.streamType())) {
            history.add(event.event());
          }
        });
    return history;
  }

  /** Up to {@code size} events after {@code after} (or from the first when it is null). */
  public Page page(JournalQuery journalQuery, Position after, int size) {
    Bson query = toQuery(journalQuery);
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
    return new Page(List.copyOf(page), new Position(storedTime(last.recordedAt()), last.eventId()));
  }

  /** Every event of the query, in recorded order, fetched {@code batchSize} at a time. */
  public void forEach(JournalQuery query, int batchSize, Consumer<JournalEvent> sink) {
    readEvents(toQuery(query), RECORDED_ORDER, batchSize, sink);
  }

  /** Every event recorded at or after {@code from}, saga by saga, each in stream order. */
  public void forEachBySaga(Instant from, int batchSize, Consumer<JournalEvent> sink) {
    Bson query = Filters.eq(JournalFields.STREAM_TYPE, SagaJournal.STREAM_TYPE);
    if (from != null) {
      query = Filters.and(query, Filters.gte(JournalFields.RECORDED_AT, storedTime(from)));
    }
    readEvents(query, STREAM_ORDER, batchSize, sink);
  }

  /** The store query: entries of saga streams matching every given criterion. */
  public static Bson toQuery(JournalQuery query) {
    List<Bson> criteria = new ArrayList<>();
    criteria.add(Filters.eq(JournalFields.STREAM_TYPE, SagaJournal.STREAM_TYPE));
    if (!query.sagaIds().isEmpty()) {
      criteria.add(Filters.in(JournalFields.SAGA_ID, new TreeSet<>(query.sagaIds())));
    }
    if (query.kinds() != null) {
      criteria.add(
          Filters.in(
              JournalFields.PAYLOAD_TYPE,
              query.kinds().stream().map(kind -> kind.type().getName()).sorted().toList()));
    }
    if (query.from() != null) {
      criteria.add(Filters.gte(JournalFields.RECORDED_AT, storedTime(query.from())));
    }
    if (query.to() != null) {
      criteria.add(Filters.lt(JournalFields.RECORDED_AT, storedTime(query.to())));
    }
    return Filters.and(criteria);
  }

  /**
   * An instant as the store writes recorded times: ISO-8601 text in UTC with exactly three
   * fractional digits, so text order is time order. Finer digits are cut off: ranges are kept at
   * the store's millisecond precision.
   */
  public static String storedTime(Instant instant) {
    return DateTimeUtils.formatInstant(instant);
  }

  private void readEvents(Bson query, Bson order, int batchSize, Consumer<JournalEvent> sink) {
    read(query, order, batchSize, entry -> sink.accept(entry.event()));
  }

  private void read(Bson query, Bson order, int batchSize, Consumer<JournalEntries.Stored> sink) {
    try (MongoCursor<Document> cursor =
        events.find(query).sort(order).batchSize(batchSize).iterator()) {
      while (cursor.hasNext()) {
        sink.accept(entries.toStored(cursor.next()));
      }
    }
  }
}
