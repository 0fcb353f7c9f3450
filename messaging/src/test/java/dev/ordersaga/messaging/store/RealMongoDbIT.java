package dev.ordersaga.messaging.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.WriteConcern;
import java.nio.file.Path;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.testcontainers.containers.MongoDBContainer;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;

/**
 * The store from a URI, against a real MongoDB (a one-member replica set, so {@code majority}
 * applies); skipped where Docker does not run.
 */
@Testcontainers(disabledWithoutDocker = true)
class RealMongoDbIT {

  @Container static final MongoDBContainer MONGO = new MongoDBContainer("mongo:7.0");

  @Test
  void storeFromAUriUsesThatMongoDbAndTheServicesDatabase() {
    try (Store store =
        Store.open(MONGO.getConnectionString(), "payments", Store.Embedded.FILE, Path.of("x"))) {
      store.database().getCollection("payments").insertOne(new Document("_id", "pay-1"));

      assertThat(store.isEmbedded()).isFalse();
      assertThat(store.database().getName()).isEqualTo("payments");
      assertThat(store.database().getWriteConcern())
          .isEqualTo(WriteConcern.MAJORITY.withJournal(true));
      assertThat(store.client().getDatabase("payments").getCollection("payments").countDocuments())
          .isEqualTo(1);
    }
  }
}
