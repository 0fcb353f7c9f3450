package dev.ordersaga.messaging.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StoreIT {

  @TempDir Path dataDirectory;

  @Test
  void embeddedFileStoreKeepsDataAcrossARestart() {
    try (Store store = Store.open(null, "payments", Store.Embedded.FILE, dataDirectory)) {
      assertThat(store.isEmbedded()).isTrue();
      store.database().getCollection("payments").insertOne(new Document("_id", "pay-1"));
    }

    try (Store reopened = Store.open(null, "payments", Store.Embedded.FILE, dataDirectory)) {
      assertThat(reopened.database().getCollection("payments").find().first())
          .isEqualTo(new Document("_id", "pay-1"));
    }
    assertThat(dataDirectory.resolve("payments.v2.mv.db")).exists();
  }

  @Test
  void theCommandLogKeepsOnlyTheSegmentsSinceTheLastCheckpoint() {
    try (Store store = Store.open(null, "payments", Store.Embedded.FILE, dataDirectory)) {
      MongoCollection<Document> payments = store.database().getCollection("payments");
      payments.insertOne(new Document("_id", "pay-0"));
      List<Long> first = logSegments();
      assertThat(first).isNotEmpty();
      long newestAtFirst = first.get(first.size() - 1);
      int[] written = {1};
      // a checkpoint (every EmbeddedBackend.CHECKPOINT_MILLIS) makes the segments before it
      // obsolete, and the next write's flush deletes them
      await()
          .atMost(Duration.ofMillis(EmbeddedBackend.CHECKPOINT_MILLIS * 4))
          .pollInterval(Duration.ofMillis(100))
          .until(
              () -> {
                payments.insertOne(new Document("_id", "pay-" + written[0]++));
                List<Long> now = logSegments();
                return !now.isEmpty() && now.get(0) > newestAtFirst;
              });
      assertThat(logSegments()).hasSizeLessThanOrEqualTo(2);
      assertThat(payments.countDocuments()).isEqualTo(written[0]);
    }
  }

  private List<Long> logSegments() {
    String prefix = "payments.v2.mv.db.log.";
    try (Stream<Path> files = Files.list(dataDirectory)) {
      return files
          .map(file -> file.getFileName().toString())
          .filter(name -> name.startsWith(prefix))
          .map(name -> Long.parseLong(name.substring(prefix.length())))
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Test
  void embeddedMemoryStoreStartsEmptyEachTime() {
    try (Store store = Store.open(null, "orders", Store.Embedded.MEMORY, dataDirectory)) {
      store.database().getCollection("orders").insertOne(new Document("_id", "order-1"));
    }

    try (Store store = Store.open(null, "orders", Store.Embedded.MEMORY, dataDirectory)) {
      assertThat(store.database().getCollection("orders").countDocuments()).isZero();
    }
  }

  @Test
  void eachServiceGetsItsOwnDatabase() {
    try (Store store = Store.open(null, "shipments", Store.Embedded.MEMORY, dataDirectory)) {
      assertThat(store.database().getName()).isEqualTo("shipments");
    }
  }

  @Test
  void concurrentWritersToAFileStoreShareCommitsAndReadsNeverWait() throws Exception {
    int writers = 16;
    int writesEach = 50;
    try (Store store = Store.open(null, "payments", Store.Embedded.FILE, dataDirectory)) {
      MongoCollection<Document> payments = store.database().getCollection("payments");
      ExecutorService pool = Executors.newFixedThreadPool(writers);
      try {
        List<Future<?>> done = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
          int writer = w;
          done.add(
              pool.submit(
                  () -> {
                    for (int i = 0; i < writesEach; i++) {
                      payments.insertOne(new Document("_id", "pay-" + writer + "-" + i));
                    }
                  }));
        }
        for (Future<?> writer : done) {
          writer.get();
        }
      } finally {
        pool.shutdown();
      }
      Store.CommitStats afterWrites = store.commitStats();
      assertThat(afterWrites.writes()).isEqualTo(writers * writesEach);
      assertThat(afterWrites.commits()).isPositive().isLessThan(afterWrites.writes() / 2);

      assertThat(payments.countDocuments()).isEqualTo(writers * writesEach);
      assertThat(payments.find(Filters.eq("_id", "pay-3-7")).first()).isNotNull();
      assertThat(store.commitStats()).isEqualTo(afterWrites);

      // a write that fails may have changed part of its batch: it waits for a commit too
      assertThatThrownBy(() -> payments.insertOne(new Document("_id", "pay-0-0")))
          .isInstanceOf(MongoWriteException.class);
      assertThat(store.commitStats().writes()).isEqualTo(afterWrites.writes() + 1);
    }
  }

  @Test
  void aMemoryStoreNeverCommits() {
    try (Store store = Store.open(null, "orders", Store.Embedded.MEMORY, dataDirectory)) {
      store.database().getCollection("orders").insertOne(new Document("_id", "order-1"));

      assertThat(store.commitStats()).isEqualTo(new Store.CommitStats(0, 0));
    }
  }

  @Test
  void aRealMongoDbHasNoScanRecorder() {
    try (Store store =
        Store.open("mongodb://127.0.0.1:1/", "orders", Store.Embedded.MEMORY, dataDirectory)) {
      assertThat(store.isEmbedded()).isFalse();
      assertThatThrownBy(store::scans)
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("embedded store only");
    }
  }
}
