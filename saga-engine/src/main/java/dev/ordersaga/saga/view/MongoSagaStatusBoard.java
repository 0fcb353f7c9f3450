package dev.ordersaga.saga.view;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.ReplaceOptions;
import dev.ordersaga.saga.SagaState;
import dev.ordersaga.saga.SagaStatus;
import dev.ordersaga.saga.SagaStatusBoard;
import dev.ordersaga.saga.Step;
import java.util.Date;
import java.util.Optional;
import org.bson.Document;

/** Each saga's status in collection {@value #COLLECTION}, one document per saga. */
public class MongoSagaStatusBoard implements SagaStatusBoard {

  public static final String COLLECTION = "saga_status";

  private final MongoCollection<Document> statuses;

  public MongoSagaStatusBoard(MongoDatabase database) {
    this.statuses = database.getCollection(COLLECTION);
    statuses.createIndex(
        Indexes.ascending("state", "updatedAt"), new IndexOptions().name("state_updated"));
  }

  @Override
  public void update(SagaStatus status) {
    statuses.replaceOne(
        Filters.eq("_id", status.orderId()),
        new Document("_id", status.orderId())
            .append("state", status.state().name())
            .append("step", status.step() == null ? null : status.step().name())
            .append("attempt", status.attempt())
            .append("reason", status.reason())
            .append("cancelRequested", status.cancelRequested())
            .append("startedAt", Date.from(status.startedAt()))
            .append("updatedAt", Date.from(status.updatedAt())),
        new ReplaceOptions().upsert(true));
  }

  public Optional<SagaStatus> find(String orderId) {
    Document found = statuses.find(Filters.eq("_id", orderId)).first();
    if (found == null) {
      return Optional.empty();
    }
    return Optional.of(
        new SagaStatus(
            orderId,
            SagaState.valueOf(found.getString("state")),
            found.getString("step") == null ? null : Step.valueOf(found.getString("step")),
            found.getInteger("attempt", 0),
            found.getString("reason"),
            found.getBoolean("cancelRequested", false),
            found.getDate("startedAt").toInstant(),
            found.getDate("updatedAt").toInstant()));
  }

  /** How many sagas are in a state. */
  public long count(SagaState state) {
    return statuses.countDocuments(Filters.eq("state", state.name()));
  }
}
