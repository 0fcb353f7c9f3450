package dev.ordersaga.saga.runtime;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import dev.ordersaga.saga.Step;
import dev.ordersaga.saga.view.MongoSagaStatusBoard;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import org.bson.Document;

/**
 * The sagas' documents, in collection {@value MongoSagaStatusBoard#COLLECTION} (the status fields
 * operators and analysts query at the top, the engine's own under {@code engine}), one per saga,
 * {@code _id} = order id. Every access is keyed: a read by {@code _id}; a first write is an insert
 * (a unique {@code _id}); every later write replaces the document found by its unique revision
 * {@code rev} (order id and version), so it succeeds only over the version it was computed from and
 * two writers (threads or engine instances) never overwrite each other's step.
 */
public class SagaRecords {

  static final String REVISION = "rev";
  static final String REVISION_INDEX = "saga_revision";
  private static final String ENGINE = "engine";

  /** Another writer stored a newer version of the saga first. */
  public static final class ConflictException extends RuntimeException {
    ConflictException(String orderId, long version) {
      super("saga " + orderId + " moved on from version " + version + " meanwhile");
    }
  }

  private final MongoCollection<Document> sagas;

  public SagaRecords(MongoDatabase database) {
    this.sagas = database.getCollection(MongoSagaStatusBoard.COLLECTION);
    sagas.createIndex(
        Indexes.ascending(REVISION), new IndexOptions().name(REVISION_INDEX).unique(true));
  }

  /** The saga of an order, if a step of it was stored. */
  public Optional<SagaRecord> find(String orderId) {
    Document found = sagas.find(Filters.eq("_id", orderId)).first();
    return found == null || !found.containsKey(ENGINE)
        ? Optional.empty()
        : Optional.of(record(found));
  }

  /**
   * Stores {@code after} in place of {@code before} (or as the first version).
   *
   * @throws ConflictException when the stored saga is no longer {@code before}
   */
  public void save(SagaRecord before, SagaRecord after) {
    Document document = document(after);
    if (before.version() == 0) {
      try {
        sagas.insertOne(document);
      } catch (MongoWriteException e) {
        if (e.getError().getCategory() == ErrorCategory.DUPLICATE_KEY) {
          throw new ConflictException(before.orderId(), before.version());
        }
        throw e;
      }
      return;
    }
    if (sagas.replaceOne(Filters.eq(REVISION, revision(before)), document).getMatchedCount() == 0) {
      throw new ConflictException(before.orderId(), before.version());
    }
  }

  static String revision(SagaRecord record) {
    return record.orderId() + "#" + record.version();
  }

  private static Document document(SagaRecord record) {
    Document engine =
        new Document("version", record.version())
            .append("active", record.active())
            .append("saga", record.saga())
            .append(
                "deadline",
                record.deadline() == null
                    ? null
                    : new Document("step", record.deadline().step().name())
                        .append("attempt", record.deadline().attempt())
                        .append("at", Date.from(record.deadline().at())))
            .append("consumed", record.consumed())
            .append("lastIn", record.lastIn())
            .append("lastInId", record.lastInId())
            .append("outbox", record.outbox())
            .append("outboxIds", record.outboxIds())
            .append("journalFrom", record.journalFrom())
            .append("journalAt", Date.from(record.journalAt()))
            .append("timerAt", record.timerAt() == null ? null : Date.from(record.timerAt()));
    if (record.asked() != null) {
      engine.append("asked", record.asked());
    }
    if (record.sagaVersion() != null) {
      engine.append("sagaVersion", record.sagaVersion());
    }
    Document document = new Document("_id", record.orderId()).append(REVISION, revision(record));
    document.putAll(MongoSagaStatusBoard.fields(record.status()));
    document.append(MongoSagaStatusBoard.SAGA_VERSION, record.versionName());
    return document.append(ENGINE, engine);
  }

  private static SagaRecord record(Document document) {
    Document engine = document.get(ENGINE, Document.class);
    Document deadline = engine.get("deadline", Document.class);
    Date timerAt = engine.getDate("timerAt");
    Date journalAt = engine.getDate("journalAt");
    return new SagaRecord(
        document.getString("_id"),
        engine.getLong("version"),
        engine.getBoolean("active", true),
        engine.getString("saga"),
        MongoSagaStatusBoard.status(document),
        deadline == null
            ? null
            : new Deadline(
                Step.valueOf(deadline.getString("step")),
                deadline.getInteger("attempt"),
                deadline.getDate("at").toInstant()),
        engine.getList("consumed", String.class, List.of()),
        engine.getString("lastIn"),
        engine.getString("lastInId"),
        engine.getList("outbox", String.class, List.of()),
        engine.getList("outboxIds", String.class, List.of()),
        engine.getLong("journalFrom"),
        journalAt == null ? null : journalAt.toInstant(),
        timerAt == null ? null : timerAt.toInstant(),
        engine.getList("asked", String.class),
        engine.getString("sagaVersion"));
  }
}
