package dev.ordersaga.notifier.notice;

import static com.mongodb.client.model.Filters.eq;
import static com.mongodb.client.model.Filters.lte;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.Updates;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import org.bson.Document;
import org.bson.conversions.Bson;

/**
 * The notifier's pending work: collection {@value #COLLECTION}, one {@link NoticeTask} per notice
 * not yet done (not accepted by the mail server, or its reply not confirmed), {@code _id} = the
 * notice's key. A task is removed once the notice's reply is confirmed, so the collection holds
 * only what is pending, and finding due work ({@link #due}) costs O(pending), not O(notices ever).
 *
 * <p>A sender works on a task only while it holds it: {@link #claim} pushes {@code dueAt} to the
 * end of a lease by compare-and-set on {@code (_id, version)} as read, through the unique index
 * {@value #VERSION_INDEX}, so of two senders (threads or instances) one gets the task, and another
 * may take it over only once the lease has run out (its holder died). Every access but {@link #due}
 * and {@link #countSending} is by {@code _id} or by that unique pair, in a flat filter.
 */
public final class NoticeTasks {

  public static final String COLLECTION = "notice_work";

  /** Unique on {@code (_id, version)}: makes the compare-and-set a keyed update. */
  static final String VERSION_INDEX = "_id_version";

  private static final String ID = "_id";
  private static final String PHASE = "phase";
  private static final String DUE_AT = "dueAt";
  private static final String ATTEMPTS = "attempts";
  private static final String LAST_ERROR = "lastError";
  private static final String VERSION = "version";

  private final MongoCollection<Document> tasks;

  public NoticeTasks(MongoDatabase database) {
    this.tasks = database.getCollection(COLLECTION);
    tasks.createIndex(
        Indexes.ascending(ID, VERSION), new IndexOptions().name(VERSION_INDEX).unique(true));
    // for MongoDB; the embedded store ignores it and scans, which here is O(pending)
    tasks.createIndex(Indexes.ascending(DUE_AT), new IndexOptions().name("due"));
  }

  /**
   * Records that the notice under {@code key} is to be sent, due at {@code dueAt}; does nothing if
   * it has a task already.
   */
  public void add(String key, Instant dueAt) {
    try {
      tasks.insertOne(
          new Document(ID, key)
              .append(PHASE, NoticeTask.Phase.SEND.name())
              .append(DUE_AT, Date.from(dueAt))
              .append(ATTEMPTS, 0)
              .append(VERSION, 0));
    } catch (MongoWriteException e) {
      if (e.getError().getCategory() != ErrorCategory.DUPLICATE_KEY) {
        throw e;
      }
    }
  }

  public Optional<NoticeTask> find(String key) {
    return Optional.ofNullable(tasks.find(eq(ID, key)).first()).map(NoticeTasks::task);
  }

  /**
   * Takes the task under {@code key} for one attempt, if it is due: its {@code dueAt} becomes
   * {@code leaseUntil}, and a sending attempt is counted.
   *
   * @return the task as claimed; empty if there is none, it is not due (another sender holds it, or
   *     it waits for a retry), or another sender claimed it first
   */
  public Optional<NoticeTask> claim(String key, Instant now, Instant leaseUntil) {
    Optional<NoticeTask> found = find(key).filter(task -> task.isDue(now));
    if (found.isEmpty()) {
      return Optional.empty();
    }
    NoticeTask task = found.get();
    int attempts = task.phase() == NoticeTask.Phase.SEND ? task.attempts() + 1 : task.attempts();
    NoticeTask claimed =
        new NoticeTask(
            key, task.phase(), leaseUntil, attempts, task.lastError(), task.version() + 1);
    boolean won =
        compareAndSet(
            task, Updates.set(DUE_AT, Date.from(leaseUntil)), Updates.set(ATTEMPTS, attempts));
    return won ? Optional.of(claimed) : Optional.empty();
  }

  /**
   * Gives a claimed task back, due again at {@code retryAt}, in {@code phase}, with the error that
   * stopped this attempt.
   *
   * @return {@code false}, writing nothing, if the task changed since it was claimed (its lease ran
   *     out and another sender took it)
   */
  public boolean retryLater(
      NoticeTask claimed, NoticeTask.Phase phase, Instant retryAt, String error) {
    return compareAndSet(
        claimed,
        Updates.set(PHASE, phase.name()),
        Updates.set(DUE_AT, Date.from(retryAt)),
        Updates.set(LAST_ERROR, error));
  }

  /**
   * Holds a claimed task longer: its {@code dueAt} becomes {@code leaseUntil}, if it did not change
   * since {@code held} was read or renewed.
   *
   * @return the task as renewed; empty if its lease ran out and another sender took it
   */
  public Optional<NoticeTask> renew(NoticeTask held, Instant leaseUntil) {
    boolean kept = compareAndSet(held, Updates.set(DUE_AT, Date.from(leaseUntil)));
    return kept
        ? Optional.of(
            new NoticeTask(
                held.key(),
                held.phase(),
                leaseUntil,
                held.attempts(),
                held.lastError(),
                held.version() + 1))
        : Optional.empty();
  }

  /** Removes the task: the notice is sent and its reply confirmed. */
  public void done(String key) {
    tasks.deleteOne(eq(ID, key));
  }

  /**
   * The keys of tasks due at {@code now} (waiting longest first), at most {@code limit}. It reads
   * the whole collection on the embedded store: O(pending).
   */
  public List<String> due(Instant now, int limit) {
    return tasks
        .find(lte(DUE_AT, Date.from(now)))
        .sort(Sorts.ascending(DUE_AT))
        .limit(limit)
        .map(document -> document.getString(ID))
        .into(new ArrayList<>());
  }

  /** Notices not yet accepted by the mail server. It reads the whole collection: O(pending). */
  public long countSending() {
    return tasks.countDocuments(eq(PHASE, NoticeTask.Phase.SEND.name()));
  }

  private boolean compareAndSet(NoticeTask read, Bson... changes) {
    List<Bson> update = new ArrayList<>(List.of(changes));
    update.add(Updates.set(VERSION, read.version() + 1));
    return tasks
            .updateOne(
                new Document(ID, read.key()).append(VERSION, read.version()),
                Updates.combine(update))
            .getModifiedCount()
        == 1;
  }

  private static NoticeTask task(Document document) {
    return new NoticeTask(
        document.getString(ID),
        NoticeTask.Phase.valueOf(document.getString(PHASE)),
        document.getDate(DUE_AT).toInstant(),
        document.getInteger(ATTEMPTS, 0),
        document.getString(LAST_ERROR),
        document.getInteger(VERSION, 0));
  }
}
