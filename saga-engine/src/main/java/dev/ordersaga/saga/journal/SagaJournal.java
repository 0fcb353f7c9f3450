package dev.ordersaga.saga.journal;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import dev.ordersaga.messaging.Envelope;
import dev.ordersaga.messaging.Message;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Collectors;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.modelling.command.ConcurrencyException;
import org.bson.Document;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every message a saga received or sent, in the Axon event store, as that saga's own stream:
 * aggregate type {@value #STREAM_TYPE}, aggregate id = saga id, event id = the envelope's message
 * id. {@link #received} goes through the event store so the saga's tracking processor sees it at
 * once; {@link #sent} is written straight to the storage (the saga does not handle commands). A
 * message id is stored once: a unique index on the event id turns a redelivered message into a
 * no-op.
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
  private static final int STRIPES = 64;

  private final EventStore eventStore;
  private final EventStorageEngine storage;
  private final MongoCollection<Document> events;
  private final Clock clock;
  private final ReentrantLock[] locks = new ReentrantLock[STRIPES];

  public SagaJournal(
      EventStore eventStore, EventStorageEngine storage, MongoDatabase database, Clock clock) {
    this.eventStore = eventStore;
    this.storage = storage;
    this.clock = clock;
    this.events = database.getCollection(EVENTS_COLLECTION);
    events.createIndex(
        Indexes.ascending("eventIdentifier"),
        new IndexOptions().unique(true).name("uniqueEventIdentifier"));
    for (int i = 0; i < STRIPES; i++) {
      locks[i] = new ReentrantLock();
    }
  }

  /** Appends a message the saga received; the saga's processor then handles it. */
  public void received(Envelope<? extends Message> envelope) {
    append(envelope, "in", true);
  }

  /** Appends a message the saga sent. */
  public void sent(Envelope<? extends Message> envelope) {
    append(envelope, "out", false);
  }

  /** The saga's stream, oldest first. */
  public List<DomainEventMessage<?>> history(String sagaId) {
    return eventStore.readEvents(sagaId).asStream().collect(Collectors.toList());
  }

  private void append(Envelope<? extends Message> envelope, String direction, boolean notify) {
    ReentrantLock lock = locks[Math.floorMod(envelope.sagaId().hashCode(), STRIPES)];
    lock.lock();
    try {
      for (int tries = 1; ; tries++) {
        if (isStored(envelope.messageId())) {
          log.debug("{} {} is already in the journal", envelope.type(), envelope.messageId());
          return;
        }
        long sequence = storage.lastSequenceNumberFor(envelope.sagaId()).map(s -> s + 1).orElse(0L);
        DomainEventMessage<?> event =
            new GenericDomainEventMessage<>(
                STREAM_TYPE,
                envelope.sagaId(),
                sequence,
                envelope.payload(),
                metadata(envelope, direction),
                envelope.messageId(),
                clock.instant());
        try {
          if (notify) {
            eventStore.publish(event);
          } else {
            storage.appendEvents(event);
          }
          return;
        } catch (ConcurrencyException e) {
          // another instance took this sequence number, or stored this very message meanwhile
          if (tries >= 10) {
            throw e;
          }
        }
      }
    } finally {
      lock.unlock();
    }
  }

  private boolean isStored(String messageId) {
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
