package dev.ordersaga.messaging.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.ConnectionString;
import com.mongodb.WriteConcern;
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

  private static WriteConcern writeConcernOf(String uri) {
    return Store.writeConcern(new ConnectionString(uri));
  }
}
