package dev.ordersaga.order.orders;

import static com.mongodb.client.model.Filters.and;
import static com.mongodb.client.model.Filters.eq;
import static com.mongodb.client.model.Filters.lt;
import static com.mongodb.client.model.Filters.or;
import static com.mongodb.client.model.Updates.combine;
import static com.mongodb.client.model.Updates.pull;
import static com.mongodb.client.model.Updates.push;
import static com.mongodb.client.model.Updates.set;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.Sorts;
import dev.ordersaga.messaging.contracts.Address;
import dev.ordersaga.messaging.contracts.Customer;
import dev.ordersaga.messaging.contracts.LineItem;
import dev.ordersaga.messaging.contracts.Money;
import dev.ordersaga.messaging.contracts.order.RejectionReason;
import dev.ordersaga.order.orders.Order.ReplyKind;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.bson.Document;
import org.bson.conversions.Bson;
import org.springframework.stereotype.Component;

/**
 * The orders collection ({@value #COLLECTION}): one document per order, holding the order, its
 * outbox of unconfirmed messages and its replies to the saga's commands. Every change is a single
 * document write, so no transaction is needed. Amounts are stored as decimal strings, exactly.
 *
 * <p>Every read and write on the way of an order is keyed: by {@code _id}, by the unique {@code
 * idempotencyScope}, or, for a change that must not overwrite another (a status change, a
 * cancellation request), by {@code _id} and the {@code version} that was read, in a flat filter of
 * exactly those two fields. The embedded store answers such a filter from the unique index {@value
 * #VERSION_INDEX} and would scan every order for anything else ({@code Filters.and}, a non-unique
 * field); real MongoDB would also use the {@code _id} index, so there the index only costs a small
 * write.
 *
 * <p>Indexes: {@value #IDEMPOTENCY_INDEX} (unique, sparse: orders without a key are not indexed) on
 * {@code idempotencyScope}, the customer id and the key together, so that each customer has keys of
 * its own; {@value #VERSION_INDEX} (unique, {@code _id} and {@code version}); {@value
 * #CUSTOMER_INDEX} (a customer's orders, newest first; the shopper's list, not on the way of an
 * order). Pending outbox messages are found through {@code OutboxMarkers}, never by querying this
 * collection.
 */
@Component
public class OrderStore {

  public static final String COLLECTION = "orders";
  public static final String IDEMPOTENCY_INDEX = "orders_idempotency_scope";
  public static final String VERSION_INDEX = "orders_id_version";
  public static final String CUSTOMER_INDEX = "orders_customer_newest";

  /** The index of keys across all customers that this store kept before keys were per customer. */
  static final String GLOBAL_IDEMPOTENCY_INDEX = "orders_idempotency_key";

  /**
   * The index of pending outbox messages by age that this store kept while the relay queried the
   * orders for them; it only cost writes since.
   */
  static final String OUTBOX_INDEX = "orders_outbox_pending";

  private static final String CUSTOMER_ID = "customer.customerId";

  private static final String VERSION = "version";

  private final MongoCollection<Document> orders;

  public OrderStore(MongoDatabase database) {
    this.orders = database.getCollection(COLLECTION);
    for (Document index : orders.listIndexes()) {
      String name = index.getString("name");
      // the global key index would refuse one customer's key because another customer used it
      if (GLOBAL_IDEMPOTENCY_INDEX.equals(name) || OUTBOX_INDEX.equals(name)) {
        orders.dropIndex(name);
      }
    }
    orders.createIndex(
        Indexes.ascending("idempotencyScope"),
        new IndexOptions().name(IDEMPOTENCY_INDEX).unique(true).sparse(true));
    orders.createIndex(
        Indexes.ascending("_id", VERSION), new IndexOptions().name(VERSION_INDEX).unique(true));
    orders.createIndex(
        Indexes.compoundIndex(
            Indexes.ascending(CUSTOMER_ID), Indexes.descending("createdAt", "_id")),
        new IndexOptions().name(CUSTOMER_INDEX));
  }

  /**
   * What an idempotency key is unique within: the customer's id and the key, length-prefixed so
   * that no two pairs run together into the same text.
   */
  static String idempotencyScope(String customerId, String idempotencyKey) {
    return customerId.length() + ":" + customerId + ":" + idempotencyKey;
  }

  /**
   * Writes a new order with its outbox in one insert.
   *
   * @throws DuplicateIdempotencyKeyException when another order holds the same idempotency key
   */
  public void insert(Order order) {
    try {
      orders.insertOne(toDocument(order));
    } catch (MongoWriteException e) {
      if (e.getError().getCategory() == ErrorCategory.DUPLICATE_KEY
          && order.idempotencyKey() != null) {
        throw new DuplicateIdempotencyKeyException(order.idempotencyKey(), e);
      }
      throw e;
    }
  }

  public Optional<Order> find(String orderId) {
    return Optional.ofNullable(orders.find(eq("_id", orderId)).first()).map(OrderStore::toOrder);
  }

  /** The order a customer placed with an idempotency key, if any. */
  public Optional<Order> findByIdempotencyKey(String customerId, String idempotencyKey) {
    return Optional.ofNullable(
            orders
                .find(eq("idempotencyScope", idempotencyScope(customerId, idempotencyKey)))
                .first())
        .map(OrderStore::toOrder);
  }

  /** Where a page of a customer's orders ends: the last order's creation time and id. */
  public record Position(Instant createdAt, String orderId) {}

  /**
   * A customer's orders, newest first (ties by id, descending), after the given position.
   *
   * @param after where the previous page ended, or {@code null} for the newest
   */
  public List<Order> ofCustomer(String customerId, Position after, int limit) {
    Bson filter = eq(CUSTOMER_ID, customerId);
    if (after != null) {
      Date at = date(after.createdAt());
      filter =
          and(
              filter,
              or(lt("createdAt", at), and(eq("createdAt", at), lt("_id", after.orderId()))));
    }
    List<Order> found = new ArrayList<>();
    orders
        .find(filter)
        .sort(Sorts.descending("createdAt", "_id"))
        .limit(limit)
        .forEach(document -> found.add(toOrder(document)));
    return found;
  }

  /**
   * Records the shopper's cancellation request and queues its message, if the order has not changed
   * since it was read (the caller has checked that it is pending and not being cancelled).
   *
   * @param read the order as read, whose version the write requires
   * @return whether this call recorded it (false: the order changed since it was read)
   */
  public boolean requestCancellation(Order read, Instant now, String reason, OutboxEntry message) {
    List<Bson> updates = new ArrayList<>();
    updates.add(set("cancellationRequestedAt", date(now)));
    updates.add(set("updatedAt", date(now)));
    updates.add(push("outbox", toDocument(message)));
    updates.add(set(VERSION, read.version() + 1));
    if (reason != null) {
      updates.add(set("cancellationReason", reason));
    }
    return orders.updateOne(unchangedSince(read), combine(updates)).getModifiedCount() == 1;
  }

  /**
   * Moves a pending order to its final status and stores the reply that reports it, in one update,
   * if the order has not changed since it was read (the caller has checked that it is pending).
   *
   * @param read the order as read, whose version the write requires
   * @return whether this call made the change (false: the order changed since it was read)
   */
  public boolean finish(
      Order read,
      OrderStatus status,
      RejectionReason reason,
      ReplyKind replyKind,
      String encodedReply,
      Instant now) {
    List<Bson> updates = new ArrayList<>();
    updates.add(set("status", status.name()));
    updates.add(set("updatedAt", date(now)));
    updates.add(set("replies." + replyKind.name(), encodedReply));
    updates.add(set(VERSION, read.version() + 1));
    if (reason != null) {
      updates.add(set("reason", reason.name()));
    }
    return orders.updateOne(unchangedSince(read), combine(updates)).getModifiedCount() == 1;
  }

  /**
   * Marks the order REFUND_PENDING with the reason it is being undone, if it is still the version
   * read; whether it did.
   */
  public boolean markRefundPending(Order read, RejectionReason reason, Instant now) {
    return orders
            .updateOne(
                unchangedSince(read),
                combine(
                    set("status", OrderStatus.REFUND_PENDING.name()),
                    set("reason", reason.name()),
                    set("updatedAt", date(now)),
                    set(VERSION, read.version() + 1)))
            .getModifiedCount()
        == 1;
  }

  /**
   * The order's {@code _id} and the version read, as a flat filter of exactly the keys of {@value
   * #VERSION_INDEX} (an order stored without a version matches {@code version: null}).
   */
  private static Bson unchangedSince(Order read) {
    return new Document("_id", read.orderId())
        .append(VERSION, read.version() == Order.UNVERSIONED ? null : read.version());
  }

  /** Removes an outbox entry once the broker confirmed its message. */
  public void removeOutboxEntry(String orderId, String messageId) {
    orders.updateOne(eq("_id", orderId), pull("outbox", new Document("messageId", messageId)));
  }

  private static Document toDocument(Order order) {
    Document document =
        new Document("_id", order.orderId())
            .append("status", order.status().name())
            .append("customer", toDocument(order.customer()))
            .append("items", order.items().stream().map(OrderStore::toDocument).toList())
            .append("total", toDocument(order.total()))
            .append("shippingAddress", toDocument(order.shippingAddress()))
            .append("paymentToken", order.paymentToken())
            .append("requestFingerprint", order.requestFingerprint())
            .append("createdAt", date(order.createdAt()))
            .append("updatedAt", date(order.updatedAt()))
            .append("outbox", order.outbox().stream().map(OrderStore::toDocument).toList());
    if (order.version() != Order.UNVERSIONED) {
      document.append(VERSION, order.version());
    }
    if (order.reason() != null) {
      document.append("reason", order.reason().name());
    }
    if (order.idempotencyKey() != null) {
      document.append("idempotencyKey", order.idempotencyKey());
      document.append(
          "idempotencyScope",
          idempotencyScope(order.customer().customerId(), order.idempotencyKey()));
    }
    if (order.cancellationRequestedAt() != null) {
      document.append("cancellationRequestedAt", date(order.cancellationRequestedAt()));
    }
    if (order.cancellationReason() != null) {
      document.append("cancellationReason", order.cancellationReason());
    }
    Document replies = new Document();
    order.replies().forEach((kind, reply) -> replies.append(kind.name(), reply));
    return document.append("replies", replies);
  }

  private static Document toDocument(Customer customer) {
    return new Document("customerId", customer.customerId())
        .append("email", customer.email())
        .append("locale", customer.locale());
  }

  private static Document toDocument(LineItem item) {
    return new Document("sku", item.sku())
        .append("quantity", item.quantity())
        .append("unitPrice", toDocument(item.unitPrice()));
  }

  private static Document toDocument(Money money) {
    return new Document("amount", money.amount().toPlainString())
        .append("currency", money.currency());
  }

  private static Document toDocument(Address address) {
    return new Document("recipient", address.recipient())
        .append("line1", address.line1())
        .append("line2", address.line2())
        .append("city", address.city())
        .append("postalCode", address.postalCode())
        .append("country", address.country());
  }

  private static Document toDocument(OutboxEntry entry) {
    return new Document("messageId", entry.messageId())
        .append("type", entry.type())
        .append("envelope", entry.envelope())
        .append("enqueuedAt", date(entry.enqueuedAt()));
  }

  private static Order toOrder(Document document) {
    Map<ReplyKind, String> replies = new EnumMap<>(ReplyKind.class);
    Document storedReplies = document.get("replies", Document.class);
    if (storedReplies != null) {
      for (ReplyKind kind : ReplyKind.values()) {
        String reply = storedReplies.getString(kind.name());
        if (reply != null) {
          replies.put(kind, reply);
        }
      }
    }
    String reason = document.getString("reason");
    return new Order(
        document.getString("_id"),
        OrderStatus.valueOf(document.getString("status")),
        reason == null ? null : RejectionReason.valueOf(reason),
        toCustomer(document.get("customer", Document.class)),
        document.getList("items", Document.class).stream().map(OrderStore::toLineItem).toList(),
        toMoney(document.get("total", Document.class)),
        toAddress(document.get("shippingAddress", Document.class)),
        document.getString("paymentToken"),
        document.getString("idempotencyKey"),
        document.getString("requestFingerprint"),
        instant(document.getDate("createdAt")),
        instant(document.getDate("updatedAt")),
        instant(document.getDate("cancellationRequestedAt")),
        document.getString("cancellationReason"),
        document.getList("outbox", Document.class, List.of()).stream()
            .map(OrderStore::toOutboxEntry)
            .toList(),
        replies,
        document.get(VERSION, Number.class) == null
            ? Order.UNVERSIONED
            : document.get(VERSION, Number.class).longValue());
  }

  private static Customer toCustomer(Document document) {
    return new Customer(
        document.getString("customerId"),
        document.getString("email"),
        document.getString("locale"));
  }

  private static LineItem toLineItem(Document document) {
    return new LineItem(
        document.getString("sku"),
        document.getInteger("quantity"),
        toMoney(document.get("unitPrice", Document.class)));
  }

  private static Money toMoney(Document document) {
    return new Money(new BigDecimal(document.getString("amount")), document.getString("currency"));
  }

  private static Address toAddress(Document document) {
    return new Address(
        document.getString("recipient"),
        document.getString("line1"),
        document.getString("line2"),
        document.getString("city"),
        document.getString("postalCode"),
        document.getString("country"));
  }

  private static OutboxEntry toOutboxEntry(Document document) {
    return new OutboxEntry(
        document.getString("messageId"),
        document.getString("type"),
        document.getString("envelope"),
        instant(document.getDate("enqueuedAt")));
  }

  private static Date date(Instant instant) {
    return Date.from(instant);
  }

  private static Instant instant(Date date) {
    return date == null ? null : date.toInstant();
  }
}
