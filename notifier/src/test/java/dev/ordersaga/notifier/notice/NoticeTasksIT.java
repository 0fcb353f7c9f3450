package dev.ordersaga.notifier.notice;

import static com.mongodb.client.model.Filters.eq;
import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import dev.ordersaga.messaging.store.Store;
import dev.ordersaga.messaging.testing.StoreExtension;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.UUID;
import org.bson.Document;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The pending work against a real store: claims, leases, retries, removal, the legacy move. */
@ExtendWith(StoreExtension.class)
class NoticeTasksIT {

  private static final Instant NOW = Instant.parse("2026-11-29T10:00:00Z");
  private static final Instant LEASE_END = NOW.plus(Duration.ofMinutes(2));

  private MongoDatabase database;
  private NoticeTasks tasks;
  private final String key = "key-" + UUID.randomUUID();

  @BeforeEach
  void setUp(Store store) {
    database = store.database();
    tasks = new NoticeTasks(database);
  }

  @Test
  void aDueTaskIsClaimedByOneSenderOnlyUntilItsLeaseEnds() {
    tasks.add(key, NOW);

    NoticeTask first = tasks.claim(key, NOW, LEASE_END).orElseThrow();

    assertThat(first.attempts()).isEqualTo(1);
    assertThat(first.dueAt()).isEqualTo(LEASE_END);
    assertThat(tasks.claim(key, NOW.plusSeconds(60), LEASE_END.plusSeconds(60))).isEmpty();
    assertThat(tasks.due(NOW.plusSeconds(60), 10)).doesNotContain(key);
    // its holder died: once the lease is over another sender takes it
    assertThat(tasks.due(LEASE_END, 10)).contains(key);
    NoticeTask takenOver = tasks.claim(key, LEASE_END, LEASE_END.plusSeconds(120)).orElseThrow();
    assertThat(takenOver.attempts()).isEqualTo(2);
    // and the first holder, back late, can no longer give it back
    assertThat(tasks.retryLater(first, NoticeTask.Phase.SEND, NOW, "late")).isFalse();
    assertThat(tasks.find(key).orElseThrow().dueAt()).isEqualTo(LEASE_END.plusSeconds(120));
  }

  @Test
  void ofTwoSendersReadingTheSameDueTaskOneClaimsIt() {
    tasks.add(key, NOW);
    NoticeTask seenByBoth = tasks.find(key).orElseThrow();

    assertThat(tasks.claim(key, NOW, LEASE_END)).isPresent();
    // the other one's compare-and-set, on the version both read, changes nothing
    assertThat(tasks.retryLater(seenByBoth, NoticeTask.Phase.SEND, NOW, "x")).isFalse();
    assertThat(tasks.claim(key, NOW, LEASE_END)).isEmpty();
  }

  @Test
  void aFailedAttemptIsDueAgainAtItsRetryTimeAndAReportDoesNotCountAsAnAttempt() {
    tasks.add(key, NOW);
    NoticeTask claimed = tasks.claim(key, NOW, LEASE_END).orElseThrow();

    assertThat(tasks.retryLater(claimed, NoticeTask.Phase.REPORT, NOW.plusSeconds(5), "nack"))
        .isTrue();

    assertThat(tasks.due(NOW.plusSeconds(4), 10)).doesNotContain(key);
    NoticeTask again = tasks.claim(key, NOW.plusSeconds(5), LEASE_END).orElseThrow();
    assertThat(again.phase()).isEqualTo(NoticeTask.Phase.REPORT);
    assertThat(again.attempts()).isEqualTo(1);
    assertThat(again.lastError()).isEqualTo("nack");
  }

  @Test
  void addingTwiceKeepsTheFirstTaskAndDoneRemovesIt() {
    tasks.add(key, NOW);
    tasks.claim(key, NOW, LEASE_END).orElseThrow();

    tasks.add(key, NOW);

    assertThat(tasks.find(key).orElseThrow().dueAt()).isEqualTo(LEASE_END);
    tasks.done(key);
    assertThat(tasks.find(key)).isEmpty();
    assertThat(tasks.due(LEASE_END, 10)).doesNotContain(key);
  }

  @Test
  void noticesWithWorkDueFromBeforeTheTasksGetTasksOnce() {
    var notices = database.getCollection(NoticeRepository.COLLECTION);
    notices.createIndex(
        Indexes.ascending("status", NoticeRepository.LEGACY_NEXT_ATTEMPT_AT),
        new IndexOptions().name(NoticeRepository.LEGACY_DUE_WORK_INDEX));
    String done = "key-" + UUID.randomUUID();
    notices.insertOne(
        new Document("_id", key)
            .append("status", "PENDING")
            .append(NoticeRepository.LEGACY_NEXT_ATTEMPT_AT, Date.from(NOW)));
    notices.insertOne(new Document("_id", done).append("status", "SENT"));
    NoticeRepository repository = new NoticeRepository(database);

    assertThat(repository.moveLegacyWork(tasks, NOW)).isEqualTo(1);

    assertThat(tasks.find(key)).isPresent();
    assertThat(tasks.find(done)).isEmpty();
    assertThat(notices.find(eq("_id", key)).first())
        .doesNotContainKey(NoticeRepository.LEGACY_NEXT_ATTEMPT_AT);
    assertThat(notices.listIndexes().map(index -> index.getString("name")).into(new ArrayList<>()))
        .doesNotContain(NoticeRepository.LEGACY_DUE_WORK_INDEX);
    assertThat(repository.moveLegacyWork(tasks, NOW)).isZero();
  }
}
