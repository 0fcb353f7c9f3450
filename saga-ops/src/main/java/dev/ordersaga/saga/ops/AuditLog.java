package dev.ordersaga.saga.ops;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.Sorts;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.bson.Document;
import org.bson.conversions.Bson;

/**
 * The audit log of operator actions, collection {@value #COLLECTION}: insert-only. Nothing in the
 * engine updates or deletes an entry, and the API offers no way to.
 */
public class AuditLog {

  public static final String COLLECTION = "ops_audit";

  /** What to look for; {@code null} criteria match all. */
  public record Query(String who, String action, String orderId, Instant from, Instant to) {}

  /** A page of entries, newest first, and whether more follow. */
  public record Page(List<AuditEntry> entries, boolean more) {}

  private final MongoCollection<Document> entries;
  private final ObjectMapper mapper;

  public AuditLog(MongoDatabase database, ObjectMapper mapper) {
    this.entries = database.getCollection(COLLECTION);
    this.mapper = mapper;
    entries.createIndex(Indexes.descending("at", "_id"), new IndexOptions().name("at"));
    entries.createIndex(Indexes.ascending("orderIds", "at"), new IndexOptions().name("order"));
    entries.createIndex(Indexes.ascending("who", "at"), new IndexOptions().name("who"));
  }

  public void record(AuditEntry entry) {
    entries.insertOne(
        new Document("_id", entry.id())
            .append("at", Date.from(entry.at()))
            .append("who", entry.who())
            .append("action", entry.action())
            .append("dryRun", entry.dryRun())
            .append("orderIds", entry.orderIds())
            .append("queue", entry.queue())
            .append("reason", entry.reason())
            .append("outcome", entry.outcome())
            .append("request", bson(entry.request()))
            .append("result", bson(entry.result())));
  }

  /** Where a page of entries ended: the last entry's time and id. */
  public record After(Instant at, String id) {}

  /** Entries matching the query, newest first, after {@code after}. */
  public Page search(Query query, After after, int limit) {
    List<Bson> criteria = new ArrayList<>();
    if (query.who() != null) {
      criteria.add(Filters.eq("who", query.who()));
    }
    if (query.action() != null) {
      criteria.add(Filters.eq("action", query.action()));
    }
    if (query.orderId() != null) {
      criteria.add(Filters.eq("orderIds", query.orderId()));
    }
    if (query.from() != null) {
      criteria.add(Filters.gte("at", Date.from(query.from())));
    }
    if (query.to() != null) {
      criteria.add(Filters.lt("at", Date.from(query.to())));
    }
    if (after != null) {
      Date at = Date.from(after.at());
      criteria.add(
          Filters.or(
              Filters.lt("at", at),
              Filters.and(Filters.eq("at", at), Filters.lt("_id", after.id()))));
    }
    List<AuditEntry> found = new ArrayList<>();
    for (Document document :
        entries
            .find(criteria.isEmpty() ? new Document() : Filters.and(criteria))
            .sort(Sorts.descending("at", "_id"))
            .limit(limit + 1)) {
      found.add(entry(document));
    }
    boolean more = found.size() > limit;
    return new Page(more ? found.subList(0, limit) : found, more);
  }

  /** The request and result are the engine's own records as JSON, never raw user JSON. */
  private static Document bson(JsonNode node) {
    return node == null || node.isNull() ? null : Document.parse(node.toString());
  }

  private AuditEntry entry(Document document) {
    return new AuditEntry(
        document.getString("_id"),
        document.getDate("at").toInstant(),
        document.getString("who"),
        document.getString("action"),
        document.getBoolean("dryRun", false),
        document.getList("orderIds", String.class),
        document.getString("queue"),
        document.getString("reason"),
        document.getString("outcome"),
        json(document.get("request", Document.class)),
        json(document.get("result", Document.class)));
  }

  private JsonNode json(Document document) {
    if (document == null) {
      return NullNode.getInstance();
    }
    try {
      return mapper.readTree(document.toJson());
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("audit entry does not read back as JSON", e);
    }
  }
}
