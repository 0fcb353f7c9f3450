package dev.ordersaga.saga.runtime;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.ReplaceOptions;
import com.mongodb.client.model.Updates;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import org.bson.Document;

/**
 * When to look at a saga again without a message to wake it: collection {@value #COLLECTION}, at
 * most one document per saga ({@code _id} = order id, {@code at}). A saga keeps one while it waits
 * on a deadline, and while the effects of its last step (its commands, its journal entries) are not
 * known to be done. The collection holds only those sagas, so finding the due ones reads O(pending)
 * documents, never the history; puts and deletes are by {@code _id}, or by {@code _id} and {@code
 * at} in a flat filter of exactly the keys of the unique index {@value #CLAIM_INDEX}.
 *
 * <p>Several engines share the timers by claims: an engine fires a due timer only once it has
 * {@link #claim claimed} it, by moving its {@code at} to the end of a lease on the condition that
 * {@code at} is still what it read; of engines racing for one timer exactly one wins, and if it
 * dies while it holds the timer, the timer falls due again when the lease ends and another engine
 * takes it. The holder then moves or drops the timer only if it is still at the lease ({@link
 * #move}, {@link #delete(String, Instant)}): a step of the saga that set another timer meanwhile
 * (on any engine) keeps it.
 */
public class SagaTimers {

  public static final String COLLECTION = "saga_timers";

  /** Unique on {@code (_id, at)}: makes a claim and a conditional move or delete a keyed write. */
  static final String CLAIM_INDEX = "_id_at";

  /** A saga to look at, and when. */
  public record Due(String orderId, Instant at) {}

  private final MongoCollection<Document> timers;

  public SagaTimers(MongoDatabase database) {
    this.timers = database.getCollection(COLLECTION);
    timers.createIndex(
        Indexes.ascending("_id", "at"), new IndexOptions().name(CLAIM_INDEX).unique(true));
  }

  /** Sets the saga's timer to fire at {@code at}. */
  public void put(String orderId, Instant at) {
    timers.replaceOne(
        Filters.eq("_id", orderId),
        new Document("_id", orderId).append("at", Date.from(at)),
        new ReplaceOptions().upsert(true));
  }

  public void delete(String orderId) {
    timers.deleteOne(Filters.eq("_id", orderId));
  }

  /**
   * Drops the saga's timer if it is still set to {@code at} (nobody claimed or moved it since);
   * returns whether it did.
   */
  public boolean delete(String orderId, Instant at) {
    return timers.deleteOne(keyed(orderId, at)).getDeletedCount() == 1;
  }

  /**
   * Takes a due timer for this engine until {@code leaseUntil}: moves it there if it is still at
   * {@code due.at()}. Returns whether this engine got it; {@code false} when another engine claimed
   * it first, or a step moved or dropped it.
   */
  public boolean claim(Due due, Instant leaseUntil) {
    return move(due.orderId(), due.at(), leaseUntil);
  }

  /** Sets the saga's timer to {@code to} if it is still at {@code from}; returns whether it did. */
  public boolean move(String orderId, Instant from, Instant to) {
    return timers
            .updateOne(keyed(orderId, from), Updates.set("at", Date.from(to)))
            .getModifiedCount()
        == 1;
  }

  /** When the saga's timer is set to fall, if it has one. */
  public Optional<Instant> at(String orderId) {
    return Optional.ofNullable(timers.find(Filters.eq("_id", orderId)).first())
        .map(timer -> timer.getDate("at").toInstant());
  }

  /** The flat filter of exactly the keys of {@value #CLAIM_INDEX}. */
  private static Document keyed(String orderId, Instant at) {
    return new Document("_id", orderId).append("at", Date.from(at));
  }

  /** The timers due at {@code now}, earliest first, at most {@code limit}. */
  public List<Due> due(Instant now, int limit) {
    List<Due> due = new ArrayList<>();
    // every document of the collection is pending work: reading them all is O(pending)
    for (Document timer : timers.find(Filters.lte("at", Date.from(now)))) {
      due.add(new Due(timer.getString("_id"), timer.getDate("at").toInstant()));
    }
    due.sort(Comparator.comparing(Due::at));
    return due.size() > limit ? due.subList(0, limit) : due;
  }

  /** How many sagas have a timer. */
  public long pending() {
    return timers.countDocuments();
  }
}
