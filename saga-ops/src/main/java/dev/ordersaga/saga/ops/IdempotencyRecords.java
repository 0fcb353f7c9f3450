package dev.ordersaga.saga.ops;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.Updates;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.bson.Document;
import org.bson.types.Binary;

/**
 * The operator API's {@code Idempotency-Key}s and the answers given under them, collection {@value
 * #COLLECTION}: one document per operator and key. A request claims its key by inserting the
 * document (state {@code IN_PROGRESS}); the unique index {@code operator_key} on {@code (who, key)}
 * lets exactly one of several concurrent requests in, with no transaction needed. When the action
 * has answered, its status, content type and body are stored on the document ({@code DONE}), so a
 * repeat is answered with them. Each document carries {@code expiresAt} (claimed at plus {@code
 * saga.ops.idempotency-ttl}); the TTL index {@code expires} lets the store remove it then, and a
 * document found past it is treated as gone (the store's TTL monitor runs only once a minute).
 */
public class IdempotencyRecords {

  public static final String COLLECTION = "ops_idempotency";

  /** What a request holding a key may do. */
  sealed interface Claim {}

  /** The key is this request's: act, then {@link #complete} or {@link #release} it. */
  record Claimed(String id) implements Claim {}

  /** The same operator made this request with this key before: answer as it was answered. */
  record Replay(int status, String contentType, byte[] body) implements Claim {}

  /** The operator used this key for another request ({@code path} and {@code method}). */
  record Mismatch(String method, String path) implements Claim {}

  /**
   * A request with this key is still running, since {@code claimedAt}; {@code abandoned} when it
   * has been longer than the lease (the engine may have stopped while it ran).
   */
  record InProgress(Instant claimedAt, boolean abandoned) implements Claim {}

  private static final int CLAIM_TRIES = 5;

  private final MongoCollection<Document> records;
  private final Clock clock;
  private final Duration ttl;
  private final Duration lease;

  public IdempotencyRecords(MongoDatabase database, Clock clock, Duration ttl, Duration lease) {
    this.records = database.getCollection(COLLECTION);
    this.clock = clock;
    this.ttl = ttl;
    this.lease = lease;
    records.createIndex(
        Indexes.ascending("who", "key"), new IndexOptions().name("operator_key").unique(true));
    records.createIndex(
        Indexes.ascending("expiresAt"),
        new IndexOptions().name("expires").expireAfter(0L, TimeUnit.SECONDS));
  }

  /**
   * Claims {@code key} for operator {@code who} and this request (its {@code fingerprint}: method,
   * path and body), or says why the request may not act.
   */
  Claim claim(String who, String key, String fingerprint, String method, String path) {
    for (int i = 0; i < CLAIM_TRIES; i++) {
      Instant now = clock.instant();
      String id = UUID.randomUUID().toString();
      try {
        records.insertOne(
            new Document("_id", id)
                .append("who", who)
                .append("key", key)
                .append("fingerprint", fingerprint)
                .append("method", method)
                .append("path", path)
                .append("state", "IN_PROGRESS")
                .append("claimedAt", Date.from(now))
                .append("expiresAt", Date.from(now.plus(ttl))));
        return new Claimed(id);
      } catch (MongoWriteException e) {
        if (e.getError().getCategory() != ErrorCategory.DUPLICATE_KEY) {
          throw e;
        }
      }
      Document held =
          records.find(Filters.and(Filters.eq("who", who), Filters.eq("key", key))).first();
      if (held == null) {
        continue; // expired and removed since the insert failed: try again
      }
      if (!held.getDate("expiresAt").toInstant().isAfter(now)) {
        records.deleteOne(Filters.eq("_id", held.getString("_id")));
        continue;
      }
      if (!fingerprint.equals(held.getString("fingerprint"))) {
        return new Mismatch(held.getString("method"), held.getString("path"));
      }
      if ("DONE".equals(held.getString("state"))) {
        return new Replay(
            held.getInteger("status"),
            held.getString("contentType"),
            held.get("body", Binary.class).getData());
      }
      Instant claimedAt = held.getDate("claimedAt").toInstant();
      return new InProgress(claimedAt, claimedAt.plus(lease).isBefore(now));
    }
    throw new IllegalStateException(
        "could not claim idempotency key " + key + " of " + who + " in " + CLAIM_TRIES + " tries");
  }

  /** Stores the answer of the request that claimed {@code id}, for repeats to be given. */
  void complete(String id, int status, String contentType, byte[] body) {
    records.updateOne(
        Filters.and(Filters.eq("_id", id), Filters.eq("state", "IN_PROGRESS")),
        Updates.combine(
            Updates.set("state", "DONE"),
            Updates.set("status", status),
            Updates.set("contentType", contentType),
            Updates.set("body", new Binary(body)),
            Updates.set("doneAt", Date.from(clock.instant()))));
  }

  /** Gives the key up again: the request did nothing (its input was refused). */
  void release(String id) {
    records.deleteOne(Filters.and(Filters.eq("_id", id), Filters.eq("state", "IN_PROGRESS")));
  }
}
