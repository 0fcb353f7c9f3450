package dev.ordersaga.messaging.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
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
    assertThat(dataDirectory.resolve("payments.mv.db")).exists();
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
}
