package dev.ordersaga.messaging.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ordersaga.messaging.inbox.MongoInbox;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.testcontainers.containers.MongoDBContainer;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;

/** The store and inbox against a real MongoDB; skipped where Docker does not run. */
@Testcontainers(disabledWithoutDocker = true)
class RealMongoDbIT {

  @Container static final MongoDBContainer MONGO = new MongoDBContainer("mongo:7.0");

  @Test
  void storeFromAUriUsesThatMongoDbAndTheInboxGetsItsExpiryIndex() {
    try (Store store =
        Store.open(MONGO.getConnectionString(), "payments", Store.Embedded.FILE, Path.of("x"))) {
      assertThat(store.isEmbedded()).isFalse();
      MongoInbox inbox = new MongoInbox(store.database(), Duration.ofHours(6), Clock.systemUTC());
      inbox.markProcessed("q", "m-1");

      List<Document> indexes =
          store
              .database()
              .getCollection(MongoInbox.COLLECTION)
              .listIndexes()
              .into(new ArrayList<>());

      assertThat(inbox.isProcessed("q", "m-1")).isTrue();
      assertThat(indexes)
          .filteredOn(i -> "inbox_expiry".equals(i.getString("name")))
          .singleElement()
          .satisfies(
              i ->
                  assertThat(i.get("expireAfterSeconds", Number.class).longValue())
                      .isEqualTo(Duration.ofHours(6).toSeconds()));
    }
  }
}
