package dev.ordersaga.messaging.store;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.Updates;
import java.lang.management.ManagementFactory;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.UUID;
import org.bson.Document;

/**
 * Time-limited leases on a service's periodic jobs, kept in its store, so that of N instances of a
 * service one does a job's round at a time and any other takes over once the holder stops renewing
 * (it died, hung or lost the store): collection {@value #COLLECTION}, one document per job ({@code
 * _id} = the job's name, {@code holder}, {@code until}, {@code version}).
 *
 * <p>{@link #acquire} reads the job's document by {@code _id}; when the lease is free (none yet,
 * run out, or this instance's own) it takes or renews it by compare-and-set on {@code (_id,
 * version)} as read, through the unique index {@value #VERSION_INDEX} in a flat filter (a keyed
 * write on the embedded store too), or by the insert of the first document; so of instances racing
 * for it exactly one wins. Holding a lease is a hint that the others stay away, never what safety
 * rests on: a job run under one must be correct when run twice at once (a holder that outlives its
 * lease), as every job here is, by its ids and conditional writes.
 *
 * <p>For work made of many items (timers, notices) a lease per item is the better tool, so that
 * instances share it: see {@code SagaTimers.claim} and {@code NoticeTasks.claim}. This class is for
 * a round over shared state that two instances would only repeat (a relay round, a scan).
 */
public final class Leases {

  public static final String COLLECTION = "leases";

  /** Unique on {@code (_id, version)}: makes the compare-and-set a keyed update. */
  static final String VERSION_INDEX = "_id_version";

  private static final String HOLDER = "holder";
  private static final String UNTIL = "until";
  private static final String VERSION = "version";

  private final MongoCollection<Document> leases;
  private final Clock clock;
  private final String holder;

  /**
   * @param holder names this instance in the store (for an operator reading the collection); it
   *     must differ between instances: {@link #instanceName()} is one
   */
  public Leases(MongoDatabase database, Clock clock, String holder) {
    this.leases = database.getCollection(COLLECTION);
    this.clock = clock;
    this.holder = holder;
    leases.createIndex(
        Indexes.ascending("_id", VERSION), new IndexOptions().name(VERSION_INDEX).unique(true));
  }

  /** A name for this process, unique among instances: its host and pid and a random suffix. */
  public static String instanceName() {
    return ManagementFactory.getRuntimeMXBean().getName()
        + "/"
        + UUID.randomUUID().toString().substring(0, 8);
  }

  /** This instance's name in the leases it holds. */
  public String holder() {
    return holder;
  }

  /**
   * Takes the lease on {@code job} for {@code ttl} from now, or renews it if this instance holds
   * it.
   *
   * @return whether this instance holds the lease now; {@code false} when another instance holds
   *     one that has not run out, or took it first
   */
  public boolean acquire(String job, Duration ttl) {
    Instant now = clock.instant();
    Date until = Date.from(now.plus(ttl));
    Document lease = leases.find(new Document("_id", job)).first();
    if (lease == null) {
      try {
        leases.insertOne(
            new Document("_id", job)
                .append(HOLDER, holder)
                .append(UNTIL, until)
                .append(VERSION, 0L));
        return true;
      } catch (MongoWriteException e) {
        if (e.getError().getCategory() == ErrorCategory.DUPLICATE_KEY) {
          return false; // another instance inserted it first
        }
        throw e;
      }
    }
    boolean mine = holder.equals(lease.getString(HOLDER));
    boolean runOut = !lease.getDate(UNTIL).toInstant().isAfter(now);
    if (!mine && !runOut) {
      return false;
    }
    long version = lease.get(VERSION, Number.class).longValue();
    return leases
            .updateOne(
                new Document("_id", job).append(VERSION, version),
                Updates.combine(
                    Updates.set(HOLDER, holder),
                    Updates.set(UNTIL, until),
                    Updates.set(VERSION, version + 1)))
            .getModifiedCount()
        == 1;
  }

  /**
   * Gives up the lease on {@code job} if this instance holds it (on an orderly stop, so that
   * another instance need not wait for it to run out).
   */
  public void release(String job) {
    Document lease = leases.find(new Document("_id", job)).first();
    if (lease == null || !holder.equals(lease.getString(HOLDER))) {
      return;
    }
    long version = lease.get(VERSION, Number.class).longValue();
    leases.updateOne(
        new Document("_id", job).append(VERSION, version),
        Updates.combine(
            Updates.set(UNTIL, Date.from(clock.instant())), Updates.set(VERSION, version + 1)));
  }
}
