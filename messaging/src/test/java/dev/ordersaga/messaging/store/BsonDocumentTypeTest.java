package dev.ordersaga.messaging.store;

import static org.assertj.core.api.Assertions.assertThat;

import de.bwaldvogel.mongo.bson.Document;
import java.nio.ByteBuffer;
import java.util.List;
import org.h2.mvstore.WriteBuffer;
import org.junit.jupiter.api.Test;

class BsonDocumentTypeTest {

  private final BsonDocumentType type = BsonDocumentType.INSTANCE;

  @Test
  void theCacheEstimateCountsWhatTheFieldsHoldNotOnlyHowManyThereAre() {
    Document small = new Document("_id", "o-1").append("version", 3L);
    Document large =
        new Document("_id", "o-1")
            .append("version", 3L)
            .append("outbox", List.of(new Document("envelope", "x".repeat(4_000))));

    int smallBytes = type.getMemory(small);
    int largeBytes = type.getMemory(large);

    // two fields of a few bytes: a few hundred bytes
    assertThat(smallBytes).isBetween(100, 600);
    // a nested 4,000-character message: at least its characters, whatever the field count
    assertThat(largeBytes).isGreaterThan(smallBytes + 4_000);
  }

  @Test
  void aDocumentReadsBackAsItWasWritten() {
    Document document =
        new Document("_id", "o-1")
            .append("items", List.of(new Document("sku", "MUG-01").append("quantity", 2)))
            .append("note", "주문");
    WriteBuffer out = new WriteBuffer();

    type.write(out, document);
    ByteBuffer in = out.getBuffer();
    in.flip();

    assertThat(type.read(in)).isEqualTo(document);
    assertThat(in.hasRemaining()).isFalse();
  }
}
