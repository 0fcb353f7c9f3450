package dev.ordersaga.saga.timers;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.ReplaceOptions;
import com.mongodb.client.model.Sorts;
import dev.ordersaga.messaging.Envelope;
import dev.ordersaga.messaging.MessageIds;
import dev.ordersaga.saga.Step;
import dev.ordersaga.saga.StepTimedOut;
import dev.ordersaga.saga.StepTimers;
import dev.ordersaga.saga.journal.SagaJournal;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import org.bson.Document;
import org.bson.conversions.Bson;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deadlines kept in the engine's database (collection {@value #COLLECTION}, one document per saga),
 * so they survive a restart. {@link #fireDue()} turns every deadline that has passed into a {@link
 * StepTimedOut} in the journal (event id derived from saga, step and attempt, so two engines firing
 * the same deadline store it once) and only then removes the deadline.
 */
public class MongoStepTimers implements StepTimers {

  public static final String COLLECTION = "step_deadlines";

  private static final Logger log = LoggerFactory.getLogger(MongoStepTimers.class);

  private final MongoCollection<Document> deadlines;
  private final SagaJournal journal;
  private final Clock clock;

  public MongoStepTimers(MongoDatabase database, SagaJournal journal, Clock clock) {
    this.deadlines = database.getCollection(COLLECTION);
    this.journal = journal;
    this.clock = clock;
    deadlines.createIndex(Indexes.ascending("dueAt"), new IndexOptions().name("due"));
  }

  @Override
  public void schedule(String orderId, Step step, int attempt, Duration after) {
    deadlines.replaceOne(
        Filters.eq("_id", orderId),
        new Document("_id", orderId)
            .append("step", step.name())
            .append("attempt", attempt)
            .append("dueAt", Date.from(clock.instant().plus(after))),
        new ReplaceOptions().upsert(true));
  }

  @Override
  public void cancel(String orderId) {
    deadlines.deleteOne(Filters.eq("_id", orderId));
  }

  /** Fires the deadlines that have passed; returns how many. */
  public int fireDue() {
    List<Document> due =
        deadlines
            .find(Filters.lte("dueAt", Date.from(clock.instant())))
            .sort(Sorts.ascending("dueAt"))
            .limit(500)
            .into(new ArrayList<>());
    for (Document deadline : due) {
      String orderId = deadline.getString("_id");
      Step step = Step.valueOf(deadline.getString("step"));
      int attempt = deadline.getInteger("attempt");
      journal.received(
          Envelope.of(
              MessageIds.deterministic("deadline", orderId, step.name(), Integer.toString(attempt)),
              null,
              clock.instant(),
              Map.of(),
              new StepTimedOut(orderId, step, attempt)));
      Bson same =
          Filters.and(
              Filters.eq("_id", orderId),
              Filters.eq("step", step.name()),
              Filters.eq("attempt", attempt));
      deadlines.deleteOne(same);
      log.info("{} attempt {} of saga {} timed out", step, attempt, orderId);
    }
    return due.size();
  }

  /** Deadlines now pending. */
  public long pending() {
    return deadlines.countDocuments();
  }
}
