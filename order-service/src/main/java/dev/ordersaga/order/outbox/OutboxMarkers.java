package dev.ordersaga.order.outbox;

import static com.mongodb.client.model.Filters.and;
import static com.mongodb.client.model.Filters.eq;
import static com.mongodb.client.model.Filters.lte;
import static com.mongodb.client.model.Filters.ne;
import static com.mongodb.client.model.Filters.or;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.ReplaceOptions;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.Updates;
import dev.ordersaga.order.orders.OutboxEntry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;
import org.bson.Document;
import org.springframework.stereotype.Component;

/**
 * Where the relay finds pending outbox messages without looking at the orders: collection {@value
 * #COLLECTION}, one small document per message not yet confirmed, keyed by its message id, naming
 * its order. A marker is written <em>before</em> the order write that queues its message (the
 * intent first) and removed after the broker confirmed the message and it left the order's outbox,
 * so it holds at most the messages in flight plus those the broker or a crash left behind: the
 * relay's work is O(pending), whatever the number of orders. The message itself stays in the
 * order's document, written atomically with the order's state. Why this loses no message: {@link
 * OutboxRelay}.
 *
 * <p>Fields: {@code orderId}; {@code enqueuedAt} (the message's, for the lag and the relay's
 * minimum age); {@code writtenAt} and {@code writeId} (this write of the marker: a request that
 * writes it again makes it another write, so the relay's conditional removal leaves it alone);
 * {@code notBefore} and {@code missing} (set by the relay when it postpones a marker, and whether
 * that is because the order did not hold the message).
 *
 * <p>Keyed writes: by {@code _id}, or by {@code _id} and {@code writeId} in a flat filter of
 * exactly the keys of the unique index {@value #WRITE_INDEX}. The relay's two queries (due markers,
 * oldest pending) read this collection only, which holds pending work and nothing else; the index
 * {@value #AGE_INDEX} serves them on real MongoDB.
 */
@Component
public class OutboxMarkers {

  public static final String COLLECTION = "orders_outbox_markers";
  static final String WRITE_INDEX = "orders_outbox_markers_write";
  static final String AGE_INDEX = "orders_outbox_markers_age";

  private static final String ORDER_ID = "orderId";
  private static final String ENQUEUED_AT = "enqueuedAt";
  private static final String WRITTEN_AT = "writtenAt";
  private static final String WRITE_ID = "writeId";
  private static final String NOT_BEFORE = "notBefore";
  private static final String MISSING = "missing";

  /**
   * A marker as read.
   *
   * @param writeId which write of the marker this is
   */
  public record OutboxMarker(
      String messageId, String orderId, Instant enqueuedAt, Instant writtenAt, String writeId) {}

  private final MongoCollection<Document> markers;
  private final Clock clock;
  private final Duration grace;

  public OutboxMarkers(MongoDatabase database, Clock clock, OutboxSettings settings) {
    this.markers = database.getCollection(COLLECTION);
    this.clock = clock;
    this.grace = settings.getMarkerGrace();
    markers.createIndex(
        Indexes.ascending("_id", WRITE_ID), new IndexOptions().name(WRITE_INDEX).unique(true));
    markers.createIndex(Indexes.ascending(ENQUEUED_AT), new IndexOptions().name(AGE_INDEX));
  }

  /**
   * Writes the markers of the messages, then the order write that queues them; if that write took
   * more than half of {@code order-service.outbox.marker-grace}, writes the markers again, since
   * the relay may have taken them for orphans of a failed request and removed them meanwhile. An
   * exception of the order write leaves the markers: the write may have reached the store, and the
   * relay decides from what it finds.
   */
  public <T> T around(String orderId, List<OutboxEntry> messages, Supplier<T> orderWrite) {
    Instant markedAt = mark(orderId, messages);
    T result = orderWrite.get();
    if (Duration.between(markedAt, clock.instant()).compareTo(grace.dividedBy(2)) > 0) {
      mark(orderId, messages);
    }
    return result;
  }

  /** {@link #around(String, List, Supplier)} for an order write that returns nothing. */
  public void around(String orderId, List<OutboxEntry> messages, Runnable orderWrite) {
    around(
        orderId,
        messages,
        () -> {
          orderWrite.run();
          return null;
        });
  }

  /**
   * Writes (or writes again) the marker of each message of the order; returns when. On its own,
   * only for messages already in the order's outbox.
   */
  public Instant mark(String orderId, List<OutboxEntry> messages) {
    Instant now = clock.instant();
    for (OutboxEntry message : messages) {
      markers.replaceOne(
          eq("_id", message.messageId()),
          new Document("_id", message.messageId())
              .append(ORDER_ID, orderId)
              .append(ENQUEUED_AT, Date.from(message.enqueuedAt()))
              .append(WRITTEN_AT, Date.from(now))
              .append(WRITE_ID, UUID.randomUUID().toString()),
          new ReplaceOptions().upsert(true));
    }
    return now;
  }

  /** Removes a message's marker: it is confirmed and out of its order's outbox, or never was in. */
  public void remove(String messageId) {
    markers.deleteOne(eq("_id", messageId));
  }

  /**
   * Markers of messages enqueued at or before {@code enqueuedBefore}, not postponed past {@code
   * now}, oldest message first.
   */
  List<OutboxMarker> due(Instant enqueuedBefore, Instant now, int limit) {
    List<OutboxMarker> found = new ArrayList<>();
    markers
        .find(
            and(
                lte(ENQUEUED_AT, Date.from(enqueuedBefore)),
                or(eq(NOT_BEFORE, null), lte(NOT_BEFORE, Date.from(now)))))
        .sort(Sorts.ascending(ENQUEUED_AT))
        .limit(limit)
        .forEach(document -> found.add(toMarker(document)));
    return found;
  }

  /**
   * Leaves this write of the marker alone until {@code at}.
   *
   * @param missing whether that is because its order did not hold the message
   */
  void postpone(OutboxMarker marker, Instant at, boolean missing) {
    markers.updateOne(
        sameWrite(marker),
        Updates.combine(Updates.set(NOT_BEFORE, Date.from(at)), Updates.set(MISSING, missing)));
  }

  /** Removes this write of the marker, unless it was written again since; returns whether. */
  boolean removeIfUnchanged(OutboxMarker marker) {
    return markers.deleteOne(sameWrite(marker)).getDeletedCount() == 1;
  }

  /**
   * When the oldest message was enqueued whose marker was not found without its message, if any:
   * those the relay has not looked at yet, and those it found still pending.
   */
  Optional<Instant> oldestPending() {
    return Optional.ofNullable(
            markers.find(ne(MISSING, true)).sort(Sorts.ascending(ENQUEUED_AT)).limit(1).first())
        .map(document -> document.getDate(ENQUEUED_AT).toInstant());
  }

  /** The flat filter of exactly the keys of {@value #WRITE_INDEX}. */
  private static Document sameWrite(OutboxMarker marker) {
    return new Document("_id", marker.messageId()).append(WRITE_ID, marker.writeId());
  }

  private static OutboxMarker toMarker(Document document) {
    return new OutboxMarker(
        document.getString("_id"),
        document.getString(ORDER_ID),
        document.getDate(ENQUEUED_AT).toInstant(),
        document.getDate(WRITTEN_AT).toInstant(),
        document.getString(WRITE_ID));
  }
}
