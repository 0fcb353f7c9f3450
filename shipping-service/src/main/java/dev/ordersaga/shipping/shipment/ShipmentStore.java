package dev.ordersaga.shipping.shipment;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.Updates;
import dev.ordersaga.messaging.contracts.shipping.ShipmentFailureReason;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import org.bson.Document;
import org.bson.conversions.Bson;

/**
 * Shipments in collection {@value #COLLECTION}, one document per idempotency key ({@code _id}),
 * each holding the shipment and the replies it produced. Every change is one single-document write,
 * guarded so that of two concurrent writers only one succeeds; the other re-reads: a new shipment
 * is an insert (a duplicate key loses), a change is a compare-and-set on {@code (_id, version)} as
 * read, through the unique index {@value #VERSION_INDEX}. So every access on a saga's way is by
 * {@code _id} or by that unique pair in a flat filter, which the embedded store serves from its
 * index; nothing there scans. Index {@code shipments_by_order} serves the listing by order on
 * MongoDB; the embedded store ignores it and scans for the listing (off the saga's way).
 */
public final class ShipmentStore {

  public static final String COLLECTION = "shipments";

  /** Unique on {@code (_id, version)}: makes the compare-and-set a keyed update. */
  static final String VERSION_INDEX = "_id_version";

  private final MongoCollection<Document> collection;

  public ShipmentStore(MongoDatabase database) {
    this.collection = database.getCollection(COLLECTION);
    collection.createIndex(
        Indexes.ascending("orderId", "createdAt"), new IndexOptions().name("shipments_by_order"));
    collection.createIndex(
        Indexes.ascending("_id", "version"), new IndexOptions().name(VERSION_INDEX).unique(true));
  }

  public Optional<Shipment> find(String idempotencyKey) {
    return Optional.ofNullable(collection.find(Filters.eq("_id", idempotencyKey)).first())
        .map(ShipmentStore::toShipment);
  }

  /** The order's shipments, oldest first. */
  public List<Shipment> byOrder(String orderId) {
    return collection
        .find(Filters.eq("orderId", orderId))
        .sort(Sorts.ascending("createdAt", "_id"))
        .map(ShipmentStore::toShipment)
        .into(new ArrayList<>());
  }

  /**
   * Writes a new shipment.
   *
   * @return {@code false} when one with the same key exists already (nothing is written)
   */
  boolean insert(Shipment shipment) {
    try {
      collection.insertOne(toDocument(shipment));
      return true;
    } catch (MongoWriteException e) {
      if (e.getError().getCategory() == ErrorCategory.DUPLICATE_KEY) {
        return false;
      }
      throw e;
    }
  }

  /**
   * Marks a scheduled shipment cancelled and stores the reply.
   *
   * @param read the shipment as read: scheduled, without a cancel reply
   * @return {@code false}, writing nothing, when the shipment changed since it was read
   */
  boolean markCancelled(Shipment read, Instant now, String cancelReply) {
    if (read.state() != ShipmentState.SCHEDULED || read.cancelReply() != null) {
      throw new IllegalArgumentException("not a scheduled shipment without a cancel reply");
    }
    return compareAndSet(
        read,
        Updates.set("state", ShipmentState.CANCELLED.name()),
        Updates.set("cancelledAt", Date.from(now)),
        Updates.set("updatedAt", Date.from(now)),
        Updates.set("cancelReply", cancelReply));
  }

  /**
   * Stores the reply to a cancellation that had nothing to undo, the state unchanged.
   *
   * @param read the shipment as read, without a cancel reply
   * @return {@code false}, writing nothing, when the shipment changed since it was read
   */
  boolean attachCancelReply(Shipment read, Instant now, String cancelReply) {
    if (read.cancelReply() != null) {
      throw new IllegalArgumentException("the shipment has a cancel reply already");
    }
    return compareAndSet(
        read, Updates.set("updatedAt", Date.from(now)), Updates.set("cancelReply", cancelReply));
  }

  /**
   * Stores the reply to a booking that came after the cancellation.
   *
   * @param read the shipment as read, without a schedule reply
   * @return {@code false}, writing nothing, when the shipment changed since it was read
   */
  boolean attachScheduleReply(Shipment read, Instant now, String scheduleReply) {
    if (read.scheduleReply() != null) {
      throw new IllegalArgumentException("the shipment has a schedule reply already");
    }
    return compareAndSet(
        read,
        Updates.set("updatedAt", Date.from(now)),
        Updates.set("scheduleReply", scheduleReply));
  }

  /** Applies the changes if the document is still the version read, and counts the write. */
  private boolean compareAndSet(Shipment read, Bson... changes) {
    Bson sameAsRead = new Document("_id", read.idempotencyKey()).append("version", read.version());
    int next = read.version() == null ? 1 : read.version() + 1;
    List<Bson> update = new ArrayList<>(List.of(changes));
    update.add(Updates.set("version", next));
    return collection.updateOne(sameAsRead, Updates.combine(update)).getModifiedCount() == 1;
  }

  private static Document toDocument(Shipment shipment) {
    return new Document("_id", shipment.idempotencyKey())
        .append("orderId", shipment.orderId())
        .append("shipmentId", shipment.shipmentId())
        .append("carrier", shipment.carrier())
        .append("trackingNumber", shipment.trackingNumber())
        .append("country", shipment.country())
        .append("state", shipment.state().name())
        .append(
            "failureReason",
            shipment.failureReason() == null ? null : shipment.failureReason().name())
        .append("failureDetail", shipment.failureDetail())
        .append("createdAt", date(shipment.createdAt()))
        .append("bookedAt", date(shipment.bookedAt()))
        .append("cancelledAt", date(shipment.cancelledAt()))
        .append("updatedAt", date(shipment.updatedAt()))
        .append("scheduleReply", shipment.scheduleReply())
        .append("cancelReply", shipment.cancelReply())
        .append("version", shipment.version());
  }

  private static Shipment toShipment(Document document) {
    String failureReason = document.getString("failureReason");
    return new Shipment(
        document.getString("_id"),
        document.getString("orderId"),
        document.getString("shipmentId"),
        document.getString("carrier"),
        document.getString("trackingNumber"),
        document.getString("country"),
        ShipmentState.valueOf(document.getString("state")),
        failureReason == null ? null : ShipmentFailureReason.valueOf(failureReason),
        document.getString("failureDetail"),
        instant(document.getDate("createdAt")),
        instant(document.getDate("bookedAt")),
        instant(document.getDate("cancelledAt")),
        instant(document.getDate("updatedAt")),
        document.getString("scheduleReply"),
        document.getString("cancelReply"),
        document.getInteger("version"));
  }

  private static Date date(Instant instant) {
    return instant == null ? null : Date.from(instant);
  }

  private static Instant instant(Date date) {
    return date == null ? null : date.toInstant();
  }
}
