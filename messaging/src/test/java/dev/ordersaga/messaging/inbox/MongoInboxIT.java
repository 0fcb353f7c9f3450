package dev.ordersaga.messaging.inbox;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ordersaga.messaging.store.Store;
import dev.ordersaga.messaging.testing.StoreExtension;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.bson.Document;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The inbox on the store tests get: MONGODB_URI, Testcontainers MongoDB, or the embedded one. */
@ExtendWith(StoreExtension.class)
class MongoInboxIT {

  private Store store;
  private MongoInbox inbox;

  @BeforeEach
  void setUp(Store store) {
    this.store = store;
    store.database().getCollection(MongoInbox.COLLECTION).deleteMany(new Document());
    inbox = new MongoInbox(store.database(), Duration.ofDays(3), Clock.systemUTC());
  }

  @Test
  void remembersAHandledMessagePerConsumer() {
    assertThat(inbox.isProcessed("payment-service.commands", "m-1")).isFalse();

    inbox.markProcessed("payment-service.commands", "m-1");

    assertThat(inbox.isProcessed("payment-service.commands", "m-1")).isTrue();
    assertThat(inbox.isProcessed("shipping-service.commands", "m-1")).isFalse();
    assertThat(inbox.isProcessed("payment-service.commands", "m-2")).isFalse();
  }

  @Test
  void recordingTheSameMessageTwiceKeepsOneEntry() {
    inbox.markProcessed("q", "m-1");
    inbox.markProcessed("q", "m-1");

    assertThat(store.database().getCollection(MongoInbox.COLLECTION).countDocuments()).isEqualTo(1);
  }

  @Test
  void declaresTheExpiryIndexForRealMongoDb() {
    List<Document> indexes =
        store.database().getCollection(MongoInbox.COLLECTION).listIndexes().into(new ArrayList<>());

    if (store.isEmbedded()) {
      // mongo-java-server skips non-unique secondary indexes and has no TTL; MongoDB keeps it
      assertThat(indexes).extracting(i -> i.getString("name")).contains("_id_");
    } else {
      assertThat(indexes)
          .filteredOn(i -> "inbox_expiry".equals(i.getString("name")))
          .singleElement()
          .satisfies(
              i ->
                  assertThat(i.get("expireAfterSeconds", Number.class).longValue())
                      .isEqualTo(Duration.ofDays(3).toSeconds()));
    }
  }
}
