package dev.ordersaga.saga.view;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.Updates;
import dev.ordersaga.saga.OperatorAction;
import dev.ordersaga.saga.SagaState;
import dev.ordersaga.saga.SagaStatus;
import dev.ordersaga.saga.Step;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.bson.Document;
import org.bson.conversions.Bson;

/**
 * Each saga's status, read from the saga's own document in collection {@value #COLLECTION} (one per
 * saga, by order id), which the saga engine replaces on every step ({@code runtime.SagaRecords}).
 * The stuck scan adds {@code stuckSince} to a saga that stopped moving; the saga's next step
 * replaces the document and so clears it.
 */
public class MongoSagaStatusBoard {

  public static final String COLLECTION = "saga_status";

  /**
   * The field holding the version of the saga's definition that started it ({@code
   * runtime.SagaVersions}); a document without it is a saga of version {@value #FIRST_VERSION}.
   */
  public static final String SAGA_VERSION = "sagaVersion";

  public static final String FIRST_VERSION = "v1";

  /** States in which a saga waits on a deadline; only these can be stuck. */
  public static final List<SagaState> UNDER_DEADLINE =
      List.of(
          SagaState.AWAITING_PAYMENT,
          SagaState.AWAITING_SHIPMENT,
          SagaState.AWAITING_APPROVAL,
          SagaState.COMPENSATING);

  private final MongoCollection<Document> statuses;

  public MongoSagaStatusBoard(MongoDatabase database) {
    this.statuses = database.getCollection(COLLECTION);
    statuses.createIndex(
        Indexes.ascending("state", "updatedAt"), new IndexOptions().name("state_updated"));
    statuses.createIndex(Indexes.ascending("startedAt", "_id"), new IndexOptions().name("started"));
    statuses.createIndex(
        Indexes.ascending("state", "deadlineAt"), new IndexOptions().name("state_deadline"));
    statuses.createIndex(Indexes.ascending("customerId"), new IndexOptions().name("customer"));
    statuses.createIndex(
        Indexes.ascending("customerEmailKey"), new IndexOptions().name("customer_email"));
  }

  /**
   * A saga on the board, with when the stuck scan flagged it ({@code null} if it has not) and the
   * version of the saga's definition that runs it.
   */
  public record Entry(SagaStatus status, Instant stuckSince, String sagaVersion) {}

  /** A page of entries, and whether more follow. */
  public record Page(List<Entry> entries, boolean more) {}

  /** Where a page starts: after the saga started at {@code startedAt} with this order id. */
  public record Position(Instant startedAt, String orderId) {}

  /**
   * The status fields of a saga's document (every field but {@code _id}); the saga engine writes
   * them with the rest of the saga, in the same write.
   */
  public static Document fields(SagaStatus status) {
    SagaStatus.LastAction action = status.lastAction();
    return new Document("state", status.state().name())
        .append("step", status.step() == null ? null : status.step().name())
        .append("attempt", status.attempt())
        .append("reason", status.reason())
        .append("incident", status.incident())
        .append("cancelRequested", status.cancelRequested())
        .append("startedAt", Date.from(status.startedAt()))
        .append("updatedAt", Date.from(status.updatedAt()))
        .append("customerId", status.customerId())
        .append("customerEmail", status.customerEmail())
        .append(
            "customerEmailKey",
            status.customerEmail() == null ? null : status.customerEmail().toLowerCase(Locale.ROOT))
        .append("parkedFrom", status.parkedFrom() == null ? null : status.parkedFrom().name())
        .append("deadlineAt", status.deadlineAt() == null ? null : Date.from(status.deadlineAt()))
        .append("heldReply", status.heldReply())
        .append(
            "lastAction",
            action == null
                ? null
                : new Document("actionId", action.actionId())
                    .append("action", action.action().name())
                    .append("applied", action.applied())
                    .append("detail", action.detail()));
  }

  public Optional<SagaStatus> find(String orderId) {
    return entry(orderId).map(Entry::status);
  }

  public Optional<Entry> entry(String orderId) {
    return Optional.ofNullable(statuses.find(Filters.eq("_id", orderId)).first())
        .map(MongoSagaStatusBoard::entry);
  }

  /** The statuses of these sagas (those on the board). */
  public List<SagaStatus> findAll(Collection<String> orderIds) {
    List<SagaStatus> found = new ArrayList<>();
    for (Document document : statuses.find(Filters.in("_id", orderIds))) {
      found.add(status(document));
    }
    return found;
  }

  /** How many sagas are in a state. */
  public long count(SagaState state) {
    return statuses.countDocuments(Filters.eq("state", state.name()));
  }

  /** Sagas matching the query, oldest first (by start, then order id), after {@code after}. */
  public Page search(SagaQuery query, Position after, int limit) {
    List<Bson> criteria = criteria(query);
    if (after != null) {
      Date startedAt = Date.from(after.startedAt());
      criteria.add(
          Filters.or(
              Filters.gt("startedAt", startedAt),
              Filters.and(Filters.eq("startedAt", startedAt), Filters.gt("_id", after.orderId()))));
    }
    List<Entry> entries = new ArrayList<>();
    for (Document document :
        statuses
            .find(criteria.isEmpty() ? new Document() : Filters.and(criteria))
            .sort(Sorts.ascending("startedAt", "_id"))
            .limit(limit + 1)) {
      entries.add(entry(document));
    }
    boolean more = entries.size() > limit;
    return new Page(more ? entries.subList(0, limit) : entries, more);
  }

  /**
   * Flags every saga stuck on a deadline that fell before {@code dueBefore} and not yet flagged,
   * with {@code stuckSince = now}; returns how many it flagged.
   */
  public long flagStuck(Instant dueBefore, Instant now) {
    return statuses
        .updateMany(
            Filters.and(stuck(dueBefore), Filters.exists("stuckSince", false)),
            Updates.set("stuckSince", Date.from(now)))
        .getModifiedCount();
  }

  /**
   * Whether a saga is stuck: waiting on a deadline (a state of {@link #UNDER_DEADLINE}) that fell
   * before {@code dueBefore} (now less the stuck margin); the same condition as the store queries.
   */
  public static boolean isStuck(SagaStatus status, Instant dueBefore) {
    return status.deadlineAt() != null
        && UNDER_DEADLINE.contains(status.state())
        && status.deadlineAt().isBefore(dueBefore);
  }

  /** How many sagas are stuck on a deadline that fell before {@code dueBefore}. */
  public long countStuck(Instant dueBefore) {
    return statuses.countDocuments(stuck(dueBefore));
  }

  private static Bson stuck(Instant dueBefore) {
    return Filters.and(
        Filters.in("state", UNDER_DEADLINE.stream().map(SagaState::name).toList()),
        Filters.lt("deadlineAt", Date.from(dueBefore)));
  }

  private static List<Bson> criteria(SagaQuery query) {
    List<Bson> criteria = new ArrayList<>();
    if (query.states() != null) {
      criteria.add(Filters.in("state", query.states().stream().map(SagaState::name).toList()));
    }
    if (query.step() != null) {
      criteria.add(Filters.eq("step", query.step().name()));
    }
    if (query.reason() != null) {
      criteria.add(Filters.eq("reason", query.reason()));
    }
    if (query.customerId() != null) {
      criteria.add(Filters.eq("customerId", query.customerId()));
    }
    if (query.email() != null) {
      criteria.add(Filters.eq("customerEmailKey", query.email().toLowerCase(Locale.ROOT)));
    }
    if (query.startedBefore() != null) {
      criteria.add(Filters.lt("startedAt", Date.from(query.startedBefore())));
    }
    if (query.startedAfter() != null) {
      criteria.add(Filters.gt("startedAt", Date.from(query.startedAfter())));
    }
    if (Boolean.TRUE.equals(query.stuck())) {
      criteria.add(stuck(query.stuckIfDueBefore()));
    } else if (Boolean.FALSE.equals(query.stuck())) {
      criteria.add(Filters.nor(stuck(query.stuckIfDueBefore())));
    }
    return criteria;
  }

  private static Entry entry(Document document) {
    Date stuckSince = document.getDate("stuckSince");
    String version = document.getString(SAGA_VERSION);
    return new Entry(
        status(document),
        stuckSince == null ? null : stuckSince.toInstant(),
        version == null ? FIRST_VERSION : version);
  }

  /** The status held in a saga's document. */
  public static SagaStatus status(Document found) {
    Document action = found.get("lastAction", Document.class);
    return new SagaStatus(
        found.getString("_id"),
        SagaState.valueOf(found.getString("state")),
        found.getString("step") == null ? null : Step.valueOf(found.getString("step")),
        found.getInteger("attempt", 0),
        found.getString("reason"),
        found.getString("incident"),
        found.getBoolean("cancelRequested", false),
        found.getDate("startedAt").toInstant(),
        found.getDate("updatedAt").toInstant(),
        found.getString("customerId"),
        found.getString("customerEmail"),
        found.getString("parkedFrom") == null
            ? null
            : SagaState.valueOf(found.getString("parkedFrom")),
        found.getDate("deadlineAt") == null ? null : found.getDate("deadlineAt").toInstant(),
        found.getString("heldReply"),
        action == null
            ? null
            : new SagaStatus.LastAction(
                action.getString("actionId"),
                OperatorAction.valueOf(action.getString("action")),
                action.getBoolean("applied", false),
                action.getString("detail")));
  }
}
