package dev.ordersaga.messaging.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoBulkWriteException;
import com.mongodb.MongoServerException;
import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.InsertManyOptions;
import com.mongodb.client.model.Projections;
import com.mongodb.client.model.ReplaceOptions;
import com.mongodb.client.model.Sorts;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.Updates;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.function.Function;
import org.bson.Document;
import org.bson.types.Binary;
import org.bson.types.Decimal128;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The in-process path of the embedded store answers exactly as the wire does: each case runs the
 * same operations through the store's database (in process) and through the client's database (over
 * the wire, the reference), on twin collections of one store, and compares what they return or
 * throw.
 */
class InProcessStoreIT {

  @TempDir Path dataDirectory;

  private Store store;
  private MongoDatabase inProcess;
  private MongoDatabase wire;

  @BeforeEach
  void open() {
    store = Store.open(null, "payments", Store.Embedded.FILE, dataDirectory);
    inProcess = store.database();
    wire = store.client().getDatabase("payments");
  }

  @AfterEach
  void close() {
    store.close();
  }

  /** What an operation returned, or the kind and code of what it threw. */
  private record Outcome(Object value, String failure) {}

  /** Runs {@code operation} on twin collections, in process and over the wire: both outcomes. */
  private List<Outcome> both(String name, Function<MongoCollection<Document>, Object> operation) {
    List<Outcome> outcomes = new ArrayList<>();
    for (MongoDatabase database : List.of(inProcess, wire)) {
      String collection = name + (database == inProcess ? "_in_process" : "_wire");
      outcomes.add(outcome(() -> operation.apply(database.getCollection(collection))));
    }
    return outcomes;
  }

  private static Outcome outcome(java.util.function.Supplier<Object> operation) {
    try {
      return new Outcome(operation.get(), null);
    } catch (MongoWriteException e) {
      return new Outcome(
          null, "write error " + e.getError().getCode() + " " + e.getError().getCategory());
    } catch (MongoServerException e) {
      return new Outcome(null, e.getClass().getSimpleName() + " " + e.getCode());
    }
  }

  private static void assertSame(List<Outcome> outcomes) {
    assertThat(outcomes.get(0)).as("in process, then over the wire").isEqualTo(outcomes.get(1));
  }

  @Test
  void theStoresDatabaseRunsInProcessUnlessSwitchedOff() {
    assertThat(Proxy.isProxyClass(inProcess.getClass())).isTrue();
    assertThat(Proxy.isProxyClass(inProcess.getCollection("x").getClass())).isTrue();
    System.setProperty(Store.IN_PROCESS_PROPERTY, "false");
    try (Store overWire = Store.open(null, "orders", Store.Embedded.MEMORY, dataDirectory)) {
      assertThat(Proxy.isProxyClass(overWire.database().getClass())).isFalse();
    } finally {
      System.clearProperty(Store.IN_PROCESS_PROPERTY);
    }
  }

  @Test
  void everyBsonTypeComesBackAsItWasStored() {
    Document document =
        new Document("_id", "pay-1")
            .append("when", new Date(1_700_000_000_123L))
            .append("amount", Decimal128.parse("12.34"))
            .append("count", 7)
            .append("big", 1L << 40)
            .append("ratio", 0.25)
            .append("ok", true)
            .append("nothing", null)
            .append("oid", new ObjectId("65f0a1b2c3d4e5f601234567"))
            .append("bytes", new Binary(new byte[] {1, 2, 3}))
            .append("nested", new Document("a", List.of(1, "two", new Document("b", 3.5))));
    List<Outcome> outcomes =
        both(
            "types",
            c -> {
              c.insertOne(new Document(document));
              return c.find(Filters.eq("_id", "pay-1")).first();
            });
    assertSame(outcomes);
    assertThat(outcomes.get(0).value()).isEqualTo(document);
  }

  @Test
  void anInsertWithoutIdGetsOneAndTheCallerSeesIt() {
    Document withoutId = new Document("customer", "c-1");
    Object id = inProcess.getCollection("ids").insertOne(withoutId).getInsertedId();
    assertThat(withoutId.get("_id")).isInstanceOf(ObjectId.class);
    assertThat(id).isEqualTo(new org.bson.BsonObjectId(withoutId.getObjectId("_id")));
    assertThat(wire.getCollection("ids").find().first()).isEqualTo(withoutId);
  }

  @Test
  void findsFilterProjectSortSkipAndLimitAsTheWireDoes() {
    Function<MongoCollection<Document>, Object> operation =
        c -> {
          for (int i = 0; i < 12; i++) {
            c.insertOne(new Document("_id", "o-" + i).append("n", i % 5).append("tag", "t" + i));
          }
          List<Object> results = new ArrayList<>();
          results.add(
              c.find(Filters.gte("n", 2))
                  .sort(Sorts.orderBy(Sorts.descending("n"), Sorts.ascending("_id")))
                  .skip(1)
                  .limit(4)
                  .projection(Projections.include("n"))
                  .into(new ArrayList<>()));
          results.add(c.find().sort(Sorts.ascending("tag")).first());
          results.add(c.find(Filters.eq("_id", "missing")).first());
          results.add(
              c.find(Filters.eq("n", 3)).map(d -> d.getString("_id")).into(new ArrayList<>()));
          List<Document> iterated = new ArrayList<>();
          c.find(Filters.lt("n", 2))
              .sort(Sorts.ascending("_id"))
              .iterator()
              .forEachRemaining(iterated::add);
          results.add(iterated);
          List<Document> each = new ArrayList<>();
          c.find(Filters.eq("n", 4)).batchSize(1).forEach(each::add);
          results.add(each);
          // an option the in-process path does not run goes over the wire, with the others
          results.add(
              c.find(Filters.eq("n", 1))
                  .sort(Sorts.ascending("_id"))
                  .comment("over the wire")
                  .into(new ArrayList<>()));
          return results;
        };
    assertSame(both("finds", operation));
  }

  @Test
  void updatesReplacesUpsertsAndDeletesCountAsTheWireDoes() {
    Function<MongoCollection<Document>, Object> operation =
        c -> {
          c.insertOne(new Document("_id", "a").append("version", 1).append("total", 10));
          List<Object> results = new ArrayList<>();
          results.add(
              c.updateOne(
                  Filters.eq("_id", "a"),
                  Updates.combine(Updates.inc("total", 5), Updates.set("x", "y"))));
          results.add(c.updateOne(Filters.eq("_id", "missing"), Updates.set("x", "y")));
          results.add(
              c.updateOne(
                  Filters.eq("_id", "b"), Updates.set("x", "z"), new UpdateOptions().upsert(true)));
          results.add(c.updateOne(Filters.eq("_id", "a"), Updates.set("x", "y")));
          results.add(
              c.replaceOne(Filters.eq("_id", "a"), new Document("_id", "a").append("version", 2)));
          results.add(
              c.replaceOne(
                  Filters.eq("_id", "c"),
                  new Document("_id", "c").append("version", 1),
                  new ReplaceOptions().upsert(true)));
          results.add(c.deleteOne(Filters.eq("_id", "b")));
          results.add(c.deleteOne(Filters.eq("_id", "b")));
          results.add(c.find().sort(Sorts.ascending("_id")).into(new ArrayList<>()));
          return results;
        };
    List<Outcome> outcomes = both("updates", operation);
    assertSame(outcomes);
    assertThat(outcomes.get(0).failure()).isNull();
  }

  @Test
  void aDuplicateKeyFailsAsOverTheWire() {
    List<Outcome> onInsert =
        both(
            "dup_insert",
            c -> {
              c.insertOne(new Document("_id", "k"));
              return c.insertOne(new Document("_id", "k"));
            });
    assertSame(onInsert);
    assertThat(onInsert.get(0).failure())
        .isEqualTo("write error 11000 " + ErrorCategory.DUPLICATE_KEY);

    List<Outcome> onUniqueIndex =
        both(
            "dup_unique",
            c -> {
              c.createIndex(Indexes.ascending("key"), new IndexOptions().unique(true));
              c.insertOne(new Document("_id", 1).append("key", "same"));
              c.insertOne(new Document("_id", 2).append("key", "other"));
              return c.updateOne(Filters.eq("_id", 2), Updates.set("key", "same"));
            });
    assertSame(onUniqueIndex);
    assertThat(onUniqueIndex.get(0).failure()).startsWith("write error 11000");
  }

  @Test
  void insertManyInsertsAndFailsAsOverTheWire() {
    Function<MongoCollection<Document>, Object> operation =
        c -> {
          List<Object> results = new ArrayList<>();
          results.add(
              c.insertMany(List.of(new Document("_id", 1), new Document("_id", 2)))
                  .getInsertedIds());
          results.add(
              outcomeOfMany(
                  () ->
                      c.insertMany(
                          List.of(
                              new Document("_id", 3),
                              new Document("_id", 1),
                              new Document("_id", 4)))));
          results.add(
              outcomeOfMany(
                  () ->
                      c.insertMany(
                          List.of(
                              new Document("_id", 2),
                              new Document("_id", 5),
                              new Document("_id", 3)),
                          new InsertManyOptions().ordered(false))));
          results.add(c.find().sort(Sorts.ascending("_id")).into(new ArrayList<>()));
          return results;
        };
    List<Outcome> outcomes = both("many", operation);
    assertSame(outcomes);
    assertThat(outcomes.get(0).toString()).contains("[1:11000 ", "[0:11000 ", ", 2:11000 ");
  }

  /** What a failed insertMany says: each error's index and code, and what it inserted. */
  private static String outcomeOfMany(Runnable insert) {
    try {
      insert.run();
      return "no failure";
    } catch (MongoBulkWriteException e) {
      return e.getWriteErrors().stream()
              .map(
                  error ->
                      error.getIndex()
                          + ":"
                          + error.getCode()
                          + " "
                          // the twin collections' names differ
                          + error.getMessage().replaceAll("collection: \\S+ ", ""))
              .toList()
          + " inserted "
          + e.getWriteResult().getInsertedCount()
          + " "
          + e.getWriteResult().getInserts();
    }
  }

  @Test
  void aBadUpdateFailsAsOverTheWire() {
    List<Outcome> outcomes =
        both(
            "bad",
            c -> {
              c.insertOne(new Document("_id", "a").append("n", "text"));
              return c.updateOne(Filters.eq("_id", "a"), Updates.inc("n", 1));
            });
    assertSame(outcomes);
    assertThat(outcomes.get(0).failure()).isNotNull();
  }

  @Test
  void anInProcessWriteIsLoggedSyncedAndSurvivesAReopen() {
    Store.CommitStats before = store.commitStats();
    inProcess.getCollection("payments").insertOne(new Document("_id", "pay-9").append("n", 1));
    inProcess.getCollection("payments").updateOne(Filters.eq("_id", "pay-9"), Updates.inc("n", 1));
    assertThat(store.commitStats().writes()).isEqualTo(before.writes() + 2);
    store.scans().reset();
    assertThat(inProcess.getCollection("payments").find(Filters.eq("_id", "pay-9")).first())
        .isNotNull();
    assertThat(store.scans().scannedCollections()).isEmpty();
    store.close();

    store = Store.open(null, "payments", Store.Embedded.FILE, dataDirectory);
    assertThat(store.database().getCollection("payments").find().first())
        .isEqualTo(new Document("_id", "pay-9").append("n", 2));
  }
}
