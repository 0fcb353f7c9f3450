package dev.ordersaga.saga.runtime;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.ReplaceOptions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Date;
import java.util.List;
import org.bson.Document;

/**
 * When to look at a saga again without a message to wake it: collection {@value #COLLECTION}, at
 * most one document per saga ({@code _id} = order id, {@code at}). A saga keeps one while it waits
 * on a deadline, and while the effects of its last step (its commands, its journal entries) are not
 * known to be done. The collection holds only those sagas, so finding the due ones reads O(pending)
 * documents, never the history; puts and deletes are by {@code _id}.
 */
public class SagaTimers {

  public static final String COLLECTION = "saga_timers";

  /** A saga to look at, and when. */
  public record Due(String orderId, Instant at) {}

  private final MongoCollection<Document> timers;

  public SagaTimers(MongoDatabase database) {
    this.timers = database.getCollection(COLLECTION);
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
