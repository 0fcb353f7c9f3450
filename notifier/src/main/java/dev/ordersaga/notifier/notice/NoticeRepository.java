package dev.ordersaga.notifier.notice;

import static com.mongodb.client.model.Filters.eq;
import static com.mongodb.client.model.Filters.exists;
import static com.mongodb.client.model.Updates.combine;
import static com.mongodb.client.model.Updates.set;
import static com.mongodb.client.model.Updates.unset;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code notices} collection: one document per idempotency key ({@code _id}), the notice and,
 * once it is SENT, its reply. It is history: what is still to be done lives in {@link NoticeTasks},
 * so nothing on a notice's way queries this collection but by {@code _id}. A notice is written
 * twice: inserted PENDING, then marked SENT by compare-and-set on {@code (_id, version)} through
 * the unique index {@value #VERSION_INDEX}.
 *
 * <p>Index {@code by_order} ({@code orderId}, {@code createdAt}) serves {@code GET /notices} on
 * MongoDB; the embedded store ignores it and scans for the listing, which is off the saga's way.
 */
public final class NoticeRepository {

  static final String COLLECTION = "notices";

  /** Unique on {@code (_id, version)}: makes the compare-and-set a keyed update. */
  static final String VERSION_INDEX = "_id_version";

  /** The index of the notices' own due work, before {@link NoticeTasks}; gone once moved. */
  static final String LEGACY_DUE_WORK_INDEX = "due_work";

  /** Where a notice kept its own due time before {@link NoticeTasks}. */
  static final String LEGACY_NEXT_ATTEMPT_AT = "nextAttemptAt";

  private static final Logger log = LoggerFactory.getLogger(NoticeRepository.class);

  private static final String ID = "_id";
  private static final String STATUS = "status";
  private static final String ORDER_ID = "orderId";
  private static final String CREATED_AT = "createdAt";
  private static final String ATTEMPTS = "attempts";
  private static final String SENT_AT = "sentAt";
  private static final String REPLY = "reply";
  private static final String VERSION = "version";

  private final MongoCollection<Document> notices;

  public NoticeRepository(MongoDatabase database) {
    this.notices = database.getCollection(COLLECTION);
    notices.createIndex(
        Indexes.ascending(ORDER_ID, CREATED_AT), new IndexOptions().name("by_order"));
    notices.createIndex(
        Indexes.ascending(ID, VERSION), new IndexOptions().name(VERSION_INDEX).unique(true));
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

  /**
   * The notices of one order, oldest first. Off the saga's way: on the embedded store it reads the
   * whole collection.
   */
  public List<Notice> findByOrder(String orderId) {
    List<Notice> found = new ArrayList<>();
    notices
        .find(eq(ORDER_ID, orderId))
        .sort(Sorts.ascending(CREATED_AT))
        .forEach(document -> found.add(notice(document)));
    return found;
  }

  /**
   * Records that the mail server accepted the notice, with the reply to publish.
   *
   * @param read the notice as read before it was sent, PENDING
   * @param attempts the sending attempts it took
   * @return {@code false}, writing nothing, when the notice changed since it was read (another
   *     sender marked it SENT first)
   */
  public boolean markSent(Notice read, Instant sentAt, String reply, int attempts) {
    Integer version = read.version();
    return notices
            .updateOne(
                new Document(ID, read.key()).append(VERSION, version),
                combine(
                    set(STATUS, NoticeStatus.SENT.name()),
                    set(SENT_AT, date(sentAt)),
                    set(REPLY, reply),
                    set(ATTEMPTS, attempts),
                    set(VERSION, version == null ? 1 : version + 1)))
            .getModifiedCount()
        == 1;
  }

  /**
   * Gives every notice written before {@link NoticeTasks} existed that still had work due (its own
   * {@code nextAttemptAt}) a task, then drops the old {@value #LEGACY_DUE_WORK_INDEX} index. Runs
   * only while that index exists, so it reads the whole collection once, at the first start after
   * the upgrade; a crash in between repeats it harmlessly (adding a task is idempotent).
   *
   * @return how many notices got a task
   */
  public int moveLegacyWork(NoticeTasks tasks, Instant now) {
    boolean legacy =
        notices.listIndexes().into(new ArrayList<>()).stream()
            .anyMatch(index -> LEGACY_DUE_WORK_INDEX.equals(index.getString("name")));
    if (!legacy) {
      return 0;
    }
    List<String> keys =
        notices
            .find(exists(LEGACY_NEXT_ATTEMPT_AT))
            .map(document -> document.getString(ID))
            .into(new ArrayList<>());
    for (String key : keys) {
      tasks.add(key, now);
      notices.updateOne(eq(ID, key), unset(LEGACY_NEXT_ATTEMPT_AT));
    }
    notices.dropIndex(LEGACY_DUE_WORK_INDEX);
    log.info("moved the due work of {} notice(s) to {}", keys.size(), NoticeTasks.COLLECTION);
    return keys.size();
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
    putIfPresent(document, VERSION, notice.version());
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
        instant(document.getDate(CREATED_AT)),
        instant(document.getDate(SENT_AT)),
        document.getString("commandMessageId"),
        traceMap,
        document.getString(REPLY),
        document.getInteger(VERSION));
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
