package dev.ordersaga.messaging.store;

import static com.mongodb.client.model.Filters.and;
import static com.mongodb.client.model.Filters.eq;
import static com.mongodb.client.model.Filters.in;
import static com.mongodb.client.model.Updates.set;
import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import dev.ordersaga.messaging.inbox.MongoInbox;
import dev.ordersaga.messaging.store.StoreScans.Usage;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import org.bson.Document;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded store tells queries served by a unique index from scans, as its engine runs them.
 */
class StoreScansIT {

  private static final int ORDERS = 10;

  @TempDir Path dataDirectory;

  private Store store;
  private MongoCollection<Document> orders;

  @BeforeEach
  void tenOrders() {
    store = Store.open(null, "orders", Store.Embedded.MEMORY, dataDirectory);
    orders = store.database().getCollection("orders");
    orders.createIndex(Indexes.ascending("reference"), new IndexOptions().unique(true));
    orders.createIndex(
        Indexes.ascending("customer", "number"), new IndexOptions().unique(true).name("by_number"));
    orders.createIndex(Indexes.ascending("state"));
    for (int i = 0; i < ORDERS; i++) {
      orders.insertOne(
          new Document("_id", "o-" + i)
              .append("reference", "ref-" + i)
              .append("customer", "c-" + (i % 3))
              .append("number", i)
              .append("state", "PENDING"));
    }
    store.scans().reset();
  }

  @AfterEach
  void close() {
    store.close();
  }

  @Test
  void byIdOrByAllKeysOfAUniqueIndexInAFlatFilterIsServedByTheIndex() {
    orders.find(eq("_id", "o-1")).first();
    orders.find(eq("reference", "ref-2")).first();
    orders.find(new Document("customer", "c-0").append("number", 3)).first();
    orders.find(in("_id", "o-1", "o-2")).into(new ArrayList<>());
    orders.updateOne(eq("_id", "o-3"), set("state", "APPROVED"));
    orders.findOneAndUpdate(eq("reference", "ref-4"), set("state", "APPROVED"));
    orders.deleteOne(eq("_id", "o-5"));

    assertThat(store.scans().scannedCollections()).isEmpty();
    assertThat(store.scans().snapshot())
        .containsExactly(
            new Usage("orders", "delete", 1, 0, 0),
            new Usage("orders", "find", 4, 0, 0),
            new Usage("orders", "findAndModify", 1, 0, 0),
            new Usage("orders", "update", 1, 0, 0));
  }

  @Test
  void anyOtherFilterScansTheCollection() {
    // a non-unique index is never used by the embedded server
    orders.find(eq("state", "PENDING")).into(new ArrayList<>());
    // Filters.and renders $and, which no index handles, even around the _id
    orders.find(and(eq("_id", "o-1"), eq("reference", "ref-1"))).into(new ArrayList<>());
    // part of a compound unique index's keys
    orders.find(eq("customer", "c-1")).into(new ArrayList<>());
    orders.updateMany(eq("customer", "c-2"), set("state", "APPROVED"));
    // countDocuments is an aggregation, and aggregations always scan
    orders.countDocuments(eq("_id", "o-1"));

    assertThat(store.scans().scannedCollections()).containsExactly("orders");
    assertThat(store.scans().scans("orders")).isEqualTo(5);
    assertThat(store.scans().snapshot())
        .containsExactly(
            new Usage("orders", "aggregate", 0, 1, ORDERS),
            new Usage("orders", "find", 0, 3, 3 * ORDERS),
            new Usage("orders", "update", 0, 1, ORDERS));
  }

  @Test
  void resetStartsFromZeroWhileTheMeterKeepsCounting() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    store.bindTo(registry);
    orders.find(eq("state", "PENDING")).first();
    store.scans().reset();
    orders.find(eq("state", "PENDING")).first();
    orders.find(eq("_id", "o-1")).first();

    assertThat(store.scans().scans("orders")).isEqualTo(1);
    assertThat(store.scans().toString())
        .isEqualTo("orders find: 1 by index, 1 scan(s) over 1 document(s)");
    assertThat(
            registry
                .get("store.scans")
                .tags("collection", "orders", "command", "find")
                .functionCounter()
                .count())
        .isEqualTo(2);
  }

  @Test
  void theInboxFindsItsEntriesByIdAlone() {
    MongoInbox inbox = new MongoInbox(store.database(), Duration.ofDays(7), Clock.systemUTC());
    inbox.markProcessed("payment-service", "m-1");
    inbox.markProcessed("payment-service", "m-1");
    assertThat(inbox.isProcessed("payment-service", "m-1")).isTrue();
    assertThat(inbox.isProcessed("payment-service", "m-2")).isFalse();

    assertThat(store.scans().scannedCollections()).isEmpty();
    assertThat(store.scans().snapshot()).contains(new Usage("inbox", "find", 2, 0, 0));
  }

  @Test
  void aFileStoreRecordsTheCollectionsItReopens() {
    try (Store file = Store.open(null, "shipments", Store.Embedded.FILE, dataDirectory)) {
      file.database().getCollection("shipments").insertOne(new Document("_id", "s-1"));
    }
    try (Store reopened = Store.open(null, "shipments", Store.Embedded.FILE, dataDirectory)) {
      MongoCollection<Document> shipments = reopened.database().getCollection("shipments");
      shipments.find(eq("_id", "s-1")).first();
      shipments.find(eq("carrier", "ups")).first();

      assertThat(reopened.scans().snapshot())
          .containsExactly(new Usage("shipments", "find", 1, 1, 1));
    }
  }
}
