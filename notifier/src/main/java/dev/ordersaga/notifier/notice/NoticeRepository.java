package dev.ordersaga.notifier.notice;

import static com.mongodb.client.model.Filters.and;
import static com.mongodb.client.model.Filters.eq;
import static com.mongodb.client.model.Filters.lte;
import static com.mongodb.client.model.Updates.combine;
import static com.mongodb.client.model.Updates.inc;
import static com.mongodb.client.model.Updates.set;
import static com.mongodb.client.model.Updates.unset;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.FindOneAndUpdateOptions;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.ReturnDocument;
import com.mongodb.client.model.Sorts;
import dev.ordersaga.messaging.contracts.Money;
import dev.ordersaga.messaging.contracts.notification.NoticeReason;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.bson.Document;
import org.bson.conversions.Bson;

/**
 * The {@code notices} collection: one document per idempotency key. Work is handed out by claims:
 * an atomic update that pushes {@code nextAttemptAt} past a lease, so that of several senders (or
 * instances) only one works on a notice at a time.
 *
 * <p>Indexes: {@code status + nextAttemptAt} (due work), {@code orderId + createdAt} (the REST
 * listing).
 */
public final class NoticeRepository {

  static final String COLLECTION = "notices";

  private static final String ID = "_id";
  private static final String STATUS = "status";
  private static final String NEXT_ATTEMPT_AT = "nextAttemptAt";
  private static final String ORDER_ID = "orderId";
  private static final String CREATED_AT = "createdAt";
  private static final String ATTEMPTS = "attempts";
  private static final String LAST_ERROR = "lastError";
  private static final String SENT_AT = "sentAt";
  private static final String REPLY = "reply";

  private final MongoCollection<Document> notices;

  public NoticeRepository(MongoDatabase database) {
    this.notices = database.getCollection(COLLECTION);
    notices.createIndex(
        Indexes.ascending(STATUS, NEXT_ATTEMPT_AT), new IndexOptions().name("due_work"));
    notices.createIndex(
        Indexes.ascending(ORDER_ID, CREATED_AT), new IndexOptions().name("by_order"));
  }

  public Optional<Notice> find(String key) {
    return Optional.ofNullable(notices.find(eq(ID, key)).first()).map(NoticeRepository::notice);
  }

  /**
   * Stores a new notice.
   *
   * @return {@code false} when a notice with that key already exists (nothing is written)
   */
  public boolean insert(Notice notice) {
    try {
      notices.insertOne(document(notice));
      return true;
    } catch (MongoWriteException e) {
      if (e.getError().getCategory() == ErrorCategory.DUPLICATE_KEY) {
        return false;
      }
      throw e;
    }
  }

  /** The notices of one order, oldest first. */
  public List<Notice> findByOrder(String orderId) {
    List<Notice> found = new ArrayList<>();
    notices
        .find(eq(ORDER_ID, orderId))
        .sort(Sorts.ascending(CREATED_AT))
        .forEach(document -> found.add(notice(document)));
    return found;
  }

  /** Claims this notice for a sending attempt, if it is PENDING and due. */
  public Optional<Notice> claimForSending(String key, Instant now, Instant leaseUntil) {
    return claim(
        and(eq(ID, key), eq(STATUS, NoticeStatus.PENDING.name()), lte(NEXT_ATTEMPT_AT, date(now))),
        combine(set(NEXT_ATTEMPT_AT, date(leaseUntil)), inc(ATTEMPTS, 1)));
  }

  /** Claims the PENDING notice due longest, for a sending attempt. */
  public Optional<Notice> claimDueForSending(Instant now, Instant leaseUntil) {
    return claim(
        and(eq(STATUS, NoticeStatus.PENDING.name()), lte(NEXT_ATTEMPT_AT, date(now))),
        combine(set(NEXT_ATTEMPT_AT, date(leaseUntil)), inc(ATTEMPTS, 1)));
  }

  /** Claims a SENT notice whose reply is not yet confirmed by the broker, to publish it. */
  public Optional<Notice> claimDueReport(Instant now, Instant leaseUntil) {
    return claim(
        and(eq(STATUS, NoticeStatus.SENT.name()), lte(NEXT_ATTEMPT_AT, date(now))),
        set(NEXT_ATTEMPT_AT, date(leaseUntil)));
  }

  /** Records a failed attempt and when to try again. */
  public void sendFailed(String key, String error, Instant retryAt) {
    notices.updateOne(
        and(eq(ID, key), eq(STATUS, NoticeStatus.PENDING.name())),
        combine(set(LAST_ERROR, error), set(NEXT_ATTEMPT_AT, date(retryAt))));
  }

  /**
   * Records that the mail server accepted the notice, with the reply to publish, due for reporting
   * at {@code reportDueAt}.
   *
   * @return {@code false} when the notice was no longer PENDING (another sender marked it first)
   */
  public boolean markSent(String key, Instant sentAt, String reply, Instant reportDueAt) {
    return notices
            .updateOne(
                and(eq(ID, key), eq(STATUS, NoticeStatus.PENDING.name())),
                combine(
                    set(STATUS, NoticeStatus.SENT.name()),
                    set(SENT_AT, date(sentAt)),
                    set(REPLY, reply),
                    set(NEXT_ATTEMPT_AT, date(reportDueAt)),
                    unset(LAST_ERROR)))
            .getMatchedCount()
        > 0;
  }

  /** Records that the broker confirmed the reply: nothing is left to do for this notice. */
  public void reportPublished(String key) {
    notices.updateOne(
        and(eq(ID, key), eq(STATUS, NoticeStatus.SENT.name())), unset(NEXT_ATTEMPT_AT));
  }

  /** Records that the reply could not be published, and when to try again. */
  public void reportFailed(String key, Instant retryAt) {
    notices.updateOne(
        and(eq(ID, key), eq(STATUS, NoticeStatus.SENT.name())),
        set(NEXT_ATTEMPT_AT, date(retryAt)));
  }

  public long countPending() {
    return notices.countDocuments(eq(STATUS, NoticeStatus.PENDING.name()));
  }

  private Optional<Notice> claim(Bson filter, Bson update) {
    return Optional.ofNullable(
            notices.findOneAndUpdate(
                filter,
                update,
                new FindOneAndUpdateOptions()
                    .sort(Sorts.ascending(NEXT_ATTEMPT_AT))
                    .returnDocument(ReturnDocument.AFTER)))
        .map(NoticeRepository::notice);
  }

  private static Document document(Notice notice) {
    Document document =
        new Document(ID, notice.key())
            .append("noticeId", notice.noticeId())
            .append(ORDER_ID, notice.orderId())
            .append("customerId", notice.customerId())
            .append("to", notice.to())
            .append("language", notice.language())
            .append("reason", notice.reason().name())
            .append("subject", notice.subject())
            .append("body", notice.body())
            .append(STATUS, notice.status().name())
            .append(ATTEMPTS, notice.attempts())
            .append(CREATED_AT, date(notice.createdAt()))
            .append("commandMessageId", notice.commandMessageId())
            .append("trace", new Document(new LinkedHashMap<String, Object>(notice.trace())));
    if (notice.refunded() != null) {
      document.append(
          "refunded",
          new Document("amount", notice.refunded().amount().toPlainString())
              .append("currency", notice.refunded().currency()));
    }
    putIfPresent(document, NEXT_ATTEMPT_AT, date(notice.nextAttemptAt()));
    putIfPresent(document, LAST_ERROR, notice.lastError());
    putIfPresent(document, SENT_AT, date(notice.sentAt()));
    putIfPresent(document, REPLY, notice.reply());
    return document;
  }

  private static Notice notice(Document document) {
    Document refunded = document.get("refunded", Document.class);
    Document trace = document.get("trace", Document.class);
    Map<String, String> traceMap = new LinkedHashMap<>();
    if (trace != null) {
      trace.forEach((name, value) -> traceMap.put(name, String.valueOf(value)));
    }
    return new Notice(
        document.getString(ID),
        document.getString("noticeId"),
        document.getString(ORDER_ID),
        document.getString("customerId"),
        document.getString("to"),
        document.getString("language"),
        NoticeReason.valueOf(document.getString("reason")),
        refunded == null
            ? null
            : new Money(
                new BigDecimal(refunded.getString("amount")), refunded.getString("currency")),
        document.getString("subject"),
        document.getString("body"),
        NoticeStatus.valueOf(document.getString(STATUS)),
        document.getInteger(ATTEMPTS, 0),
        instant(document.getDate(NEXT_ATTEMPT_AT)),
        document.getString(LAST_ERROR),
        instant(document.getDate(CREATED_AT)),
        instant(document.getDate(SENT_AT)),
        document.getString("commandMessageId"),
        traceMap,
        document.getString(REPLY));
  }

  private static void putIfPresent(Document document, String field, Object value) {
    if (value != null) {
      document.append(field, value);
    }
  }

  private static Date date(Instant instant) {
    return instant == null ? null : Date.from(instant);
  }

  private static Instant instant(Date date) {
    return date == null ? null : date.toInstant();
  }
}
