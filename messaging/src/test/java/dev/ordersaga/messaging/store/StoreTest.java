package dev.ordersaga.messaging.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.ConnectionString;
import com.mongodb.WriteConcern;
import de.bwaldvogel.mongo.bson.Document;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class StoreTest {

  @Test
  void aRealMongoDbIsWrittenWithMajorityAndJournalByDefault() {
    assertThat(writeConcernOf("mongodb://db:27017/"))
        .isEqualTo(WriteConcern.MAJORITY.withJournal(true));
  }

  @Test
  void theUrisOwnWriteConcernWins() {
    assertThat(writeConcernOf("mongodb://db:27017/?w=1"))
        .isEqualTo(WriteConcern.W1.withJournal(true));
    assertThat(writeConcernOf("mongodb://db:27017/?journal=false"))
        .isEqualTo(WriteConcern.MAJORITY.withJournal(false));
    assertThat(writeConcernOf("mongodb://db:27017/?w=2&journal=false"))
        .isEqualTo(WriteConcern.W2.withJournal(false));
    assertThat(writeConcernOf("mongodb://db:27017/?w=0")).isEqualTo(WriteConcern.UNACKNOWLEDGED);
    assertThat(writeConcernOf("mongodb://db:27017/?wtimeoutMS=2000"))
        .isEqualTo(
            WriteConcern.MAJORITY.withJournal(true).withWTimeout(2000, TimeUnit.MILLISECONDS));
  }

  @Test
  void writesWaitForTheirCommitReadsDoNot() {
    Document none = new Document();
    assertThat(EmbeddedBackend.isReadOnly("find", none)).isTrue();
    assertThat(EmbeddedBackend.isReadOnly("getMore", none)).isTrue();
    assertThat(EmbeddedBackend.isReadOnly("count", none)).isTrue();
    assertThat(EmbeddedBackend.isReadOnly("ismaster", none)).isTrue();
    assertThat(EmbeddedBackend.isReadOnly("endSessions", none)).isTrue();
    for (String write :
        List.of(
            "insert",
            "update",
            "delete",
            "findAndModify",
            "createIndexes",
            "drop",
            "dropDatabase",
            "renameCollection",
            "somethingNew")) {
      assertThat(EmbeddedBackend.isReadOnly(write, none)).as(write).isFalse();
    }
  }

  @Test
  void anAggregationWritesOnlyWithOutOrMerge() {
    Document match = new Document("$match", new Document("state", "PENDING"));
    assertThat(EmbeddedBackend.isReadOnly("aggregate", pipeline(match))).isTrue();
    assertThat(
            EmbeddedBackend.isReadOnly("aggregate", pipeline(match, new Document("$out", "copy"))))
        .isFalse();
    assertThat(
            EmbeddedBackend.isReadOnly(
                "aggregate", pipeline(new Document("$merge", new Document("into", "copy")))))
        .isFalse();
  }

  private static Document pipeline(Document... stages) {
    return new Document("aggregate", "orders").append("pipeline", List.of(stages));
  }

  private static WriteConcern writeConcernOf(String uri) {
    return Store.writeConcern(new ConnectionString(uri));
  }
}
