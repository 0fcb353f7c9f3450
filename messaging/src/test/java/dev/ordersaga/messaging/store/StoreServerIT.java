package dev.ordersaga.messaging.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The embedded file store served to other processes, as the launcher's {@code store} runs it. */
class StoreServerIT {

  @TempDir Path dataDirectory;

  @Test
  void twoInstancesOfAServiceShareItsServedStoreWrittenWithMajorityAndItKeepsTheirWrites() {
    String uri;
    try (StoreServer server =
        StoreServer.serve("payments", dataDirectory, new InetSocketAddress("127.0.0.1", 0), 8)) {
      uri = server.uri("127.0.0.1", 4);
      try (Store first = Store.open(uri, "payments", Store.Embedded.FILE, Path.of("unused"));
          Store second = Store.open(uri, "payments", Store.Embedded.FILE, Path.of("unused"))) {
        // Store.open asks for w: majority and journal, as against a replica set
        first.database().getCollection("payments").insertOne(new Document("_id", "pay-1"));
        assertThat(second.database().getCollection("payments").find().first())
            .isEqualTo(new Document("_id", "pay-1"));
        assertThat(first.isEmbedded()).as("a client of it, not the server").isFalse();
      }
    }
    assertThat(dataDirectory.resolve("payments" + Store.FILE_SUFFIX)).exists();

    // the same file, as the one-JVM launcher opens it
    try (Store reopened = Store.open(null, "payments", Store.Embedded.FILE, dataDirectory)) {
      assertThat(reopened.database().getCollection("payments").countDocuments()).isEqualTo(1);
    }
  }

  @Test
  void aSecondServerOnTheSameAddressIsRefusedSayingSo() {
    try (StoreServer server =
        StoreServer.serve("orders", dataDirectory, new InetSocketAddress("127.0.0.1", 0), 2)) {
      InetSocketAddress taken = new InetSocketAddress("127.0.0.1", server.port());
      assertThatThrownBy(() -> StoreServer.serve("orders2", dataDirectory, taken, 2))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("another store");
    }
  }
}
