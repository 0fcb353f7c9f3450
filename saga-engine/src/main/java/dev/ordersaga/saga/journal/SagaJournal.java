package dev.ordersaga.saga.journal;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import dev.ordersaga.messaging.Envelope;
import dev.ordersaga.messaging.Message;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.axonframework.modelling.command.ConcurrencyException;
import org.bson.Document;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every message a saga received or sent, in the Axon event store's collection {@value
 * #EVENTS_COLLECTION}, as that saga's own stream: aggregate type {@value #STREAM_TYPE}, aggregate
 * id = saga id, event id = the envelope's message id (unique), sequence numbers handed out by the
 * saga engine, which keeps the next one with the saga. Append-only; what analysts query. Appending
 * is idempotent: an entry whose message id is stored already is skipped, so a step whose effects
 * are done again after a crash stores each message once. Read back through {@link JournalReader} as
 * {@link JournalEvent}s: Axon's own message types stay inside this package.
 */
public class SagaJournal {

  public static final String STREAM_TYPE = "OrderSaga";
  public static final String EVENTS_COLLECTION = "domainevents";

  /** Metadata keys of a journal entry. */
  public static final String DIRECTION = "direction";

  public static final String MESSAGE_TYPE = "type";
  public static final String REVISION = "revision";
  public static final String CAUSATION_ID = "causationId";
  public static final String OCCURRED_AT = "occurredAt";

  private static final Logger log = LoggerFactory.getLogger(SagaJournal.class);

  /** A message to append, and whether the saga received it ({@code in}) or sent it. */
  public record Entry(Envelope<? extends Message> envelope, boolean received) {}

  private final EventStorageEngine storage;
  private final MongoCollection<Document> events;

  public SagaJournal(EventStorageEngine storage, MongoDatabase database) {
    this.storage = storage;
    this.events = database.getCollection(EVENTS_COLLECTION);
    events.createIndex(
        Indexes.ascending("eventIdentifier"),
        new IndexOptions().unique(true).name("uniqueEventIdentifier"));
  }

  /**
   * One step's entries: under consecutive sequence numbers from {@code first} in the saga's stream,
   * recorded at {@code at} and a millisecond apart (so the recorded order is the stream's order).
   */
  public record Step(String sagaId, long first, Instant at, List<Entry> entries) {}

  /** Appends one step's entries in one write; entries stored before are skipped. */
  public void append(Step step) {
    appendAll(List.of(step));
  }

  /**
   * Appends the entries of several steps (of any sagas) in one write; entries stored before are
   * skipped.
   */
  public void appendAll(List<Step> steps) {
    List<DomainEventMessage<?>> all = new ArrayList<>();
    steps.forEach(step -> all.addAll(events(step)));
    try {
      storage.appendEvents(all);
    } catch (ConcurrencyException stored) {
      // a repeat of a step whose entries were (partly) stored: store the missing ones
      for (DomainEventMessage<?> event : all) {
        if (contains(event.getIdentifier())) {
          log.debug(
              "{} is already in the journal of saga {}",
              event.getIdentifier(),
              event.getAggregateIdentifier());
        } else {
          storage.appendEvents(event);
        }
      }
    }
  }

  private static List<DomainEventMessage<?>> events(Step step) {
    List<DomainEventMessage<?>> stream = new ArrayList<>();
    long sequence = step.first();
    Instant recorded = step.at();
    for (Entry entry : step.entries()) {
      Envelope<? extends Message> envelope = entry.envelope();
      stream.add(
          new GenericDomainEventMessage<>(
              STREAM_TYPE,
              step.sagaId(),
              sequence++,
              envelope.payload(),
              metadata(envelope, entry.received() ? "in" : "out"),
              envelope.messageId(),
              recorded));
      recorded = recorded.plusMillis(1);
    }
    return stream;
  }

  /** Whether the journal holds the message with this id (by its unique event id). */
  public boolean contains(String messageId) {
    return events.find(Filters.eq("eventIdentifier", messageId)).first() != null;
  }

  private static Map<String, Object> metadata(Envelope<?> envelope, String direction) {
    Map<String, Object> metadata = new HashMap<>(envelope.trace());
    metadata.put(DIRECTION, direction);
    metadata.put(MESSAGE_TYPE, envelope.type());
    metadata.put(REVISION, envelope.revision());
    metadata.put(OCCURRED_AT, envelope.occurredAt().toString());
    if (envelope.causationId() != null) {
      metadata.put(CAUSATION_ID, envelope.causationId());
    }
    return metadata;
  }
}
