package dev.ordersaga.saga.analytics;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoCursor;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Projections;
import dev.ordersaga.saga.SagaState;
import dev.ordersaga.saga.view.MongoSagaStatusBoard;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.Date;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.BiConsumer;
import org.bson.Document;

/**
 * How many sagas started, and how sagas ended, from the status board (collection {@code
 * saga_status}, one document per saga): a saga counts as started in the bucket of its {@code
 * startedAt}, and as ended once, by the state it is in now (COMPLETED, COMPENSATED,
 * COMPENSATION_FAILED), at the time it got there ({@code updatedAt}). A saga still running, or
 * PARKED, has no outcome yet. The board rather than the journal: it holds exactly the saga's state,
 * including COMPENSATION_FAILED and its reason, which the journal would only give by replaying the
 * saga's rules (deadlines, attempt limits).
 */
public final class SagaOutcomes {

  /** Fields of a {@code saga_status} document read here (see MongoSagaStatusBoard). */
  static final String STATE = "state";

  static final String REASON = "reason";
  static final String UPDATED_AT = "updatedAt";
  static final String STARTED_AT = "startedAt";
  static final String VERSION = MongoSagaStatusBoard.SAGA_VERSION;

  /** A failure with no reason recorded. */
  static final String UNKNOWN_REASON = "UNKNOWN";

  private static final List<String> OUTCOMES =
      List.of(
          SagaState.COMPLETED.name(),
          SagaState.COMPENSATED.name(),
          SagaState.COMPENSATION_FAILED.name());

  private final MongoCollection<Document> statuses;

  public SagaOutcomes(MongoDatabase database) {
    this.statuses = database.getCollection(MongoSagaStatusBoard.COLLECTION);
  }

  /**
   * Counts of one bucket, or of a whole range: {@code started}, sagas that started in it (by {@code
   * startedAt}, whatever became of them), then how sagas ended in it.
   */
  public record Counts(
      long started,
      long completed,
      long compensated,
      Map<String, Long> compensatedByReason,
      long compensationFailed) {}

  /** One bucket: {@code [start, end)}. */
  public record BucketCounts(Instant start, Instant end, Counts counts) {}

  /**
   * Outcomes per bucket over {@code [from, to)}, every bucket listed, empty ones with zeros; {@code
   * byVersion}: the totals per version of the saga's definition that ran the sagas ({@code v1},
   * {@code v2}...; a saga stored without one is {@code v1}), to compare a candidate with the stable
   * version.
   */
  public record Outcomes(
      String bucket,
      Instant from,
      Instant to,
      Counts totals,
      Map<String, Counts> byVersion,
      List<BucketCounts> buckets) {}

  /** A failure reason's count and its share of all failures. */
  public record ReasonShare(String reason, long count, double share) {}

  /**
   * Failures over {@code [from, to)}: sagas COMPENSATED or COMPENSATION_FAILED, by reason, most
   * frequent first; {@code failureRate} is their share of all sagas that ended in the range.
   */
  public record FailureReasons(
      Instant from,
      Instant to,
      long finished,
      long failed,
      double failureRate,
      List<ReasonShare> reasons) {}

  public Outcomes outcomes(Bucket bucket, Instant from, Instant to) {
    Map<Instant, Tally> tallies = new LinkedHashMap<>();
    for (Instant start = bucket.start(from); start.isBefore(to); start = bucket.next(start)) {
      tallies.put(start, new Tally());
    }
    Tally totals = new Tally();
    Map<String, Tally> versions = new TreeMap<>();
    forEachOutcome(
        from,
        to,
        (status, updatedAt) -> {
          totals.add(status);
          versions.computeIfAbsent(version(status), v -> new Tally()).add(status);
          tallies.get(bucket.start(updatedAt)).add(status);
        });
    forEachStart(
        from,
        to,
        (startedAt, version) -> {
          totals.started++;
          versions.computeIfAbsent(version, v -> new Tally()).started++;
          tallies.get(bucket.start(startedAt)).started++;
        });
    List<BucketCounts> buckets = new ArrayList<>(tallies.size());
    tallies.forEach(
        (start, tally) -> buckets.add(new BucketCounts(start, bucket.next(start), tally.counts())));
    Map<String, Counts> byVersion = new TreeMap<>();
    versions.forEach((version, tally) -> byVersion.put(version, tally.counts()));
    return new Outcomes(
        bucket.wire(), from, to, totals.counts(), Collections.unmodifiableMap(byVersion), buckets);
  }

  public FailureReasons failureReasons(Instant from, Instant to) {
    Map<String, Long> byReason = new TreeMap<>();
    long[] finished = {0};
    forEachOutcome(
        from,
        to,
        (status, updatedAt) -> {
          finished[0]++;
          if (!SagaState.COMPLETED.name().equals(status.getString(STATE))) {
            byReason.merge(reason(status), 1L, Long::sum);
          }
        });
    long failed = byReason.values().stream().mapToLong(Long::longValue).sum();
    List<ReasonShare> reasons =
        byReason.entrySet().stream()
            .sorted(
                Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder())
                    .thenComparing(Map.Entry.comparingByKey()))
            .map(e -> new ReasonShare(e.getKey(), e.getValue(), ratio(e.getValue(), failed)))
            .toList();
    return new FailureReasons(from, to, finished[0], failed, ratio(failed, finished[0]), reasons);
  }

  private void forEachOutcome(Instant from, Instant to, BiConsumer<Document, Instant> sink) {
    try (MongoCursor<Document> cursor =
        statuses
            .find(
                Filters.and(
                    Filters.in(STATE, OUTCOMES),
                    Filters.gte(UPDATED_AT, Date.from(from)),
                    Filters.lt(UPDATED_AT, Date.from(to))))
            .projection(Projections.include(STATE, REASON, UPDATED_AT, VERSION))
            .batchSize(1000)
            .iterator()) {
      while (cursor.hasNext()) {
        Document status = cursor.next();
        sink.accept(status, status.getDate(UPDATED_AT).toInstant());
      }
    }
  }

  /**
   * When each saga that started in {@code [from, to)} started, running or ended, and its version.
   */
  private void forEachStart(Instant from, Instant to, BiConsumer<Instant, String> sink) {
    try (MongoCursor<Document> cursor =
        statuses
            .find(
                Filters.and(
                    Filters.gte(STARTED_AT, Date.from(from)),
                    Filters.lt(STARTED_AT, Date.from(to))))
            .projection(Projections.include(STARTED_AT, VERSION))
            .batchSize(1000)
            .iterator()) {
      while (cursor.hasNext()) {
        Document status = cursor.next();
        sink.accept(status.getDate(STARTED_AT).toInstant(), version(status));
      }
    }
  }

  /**
   * The ids of the sagas on one version of the saga's definition that changed since {@code since}
   * (every saga with a step in a range changed in it or later): what the step figures of one
   * version are made of.
   */
  public Set<String> sagasOn(String version, Instant since) {
    Set<String> ids = new HashSet<>();
    try (MongoCursor<Document> cursor =
        statuses
            .find(Filters.gte(UPDATED_AT, Date.from(since)))
            .projection(Projections.include(VERSION))
            .batchSize(1000)
            .iterator()) {
      while (cursor.hasNext()) {
        Document status = cursor.next();
        if (version.equals(version(status))) {
          ids.add(status.getString("_id"));
        }
      }
    }
    return ids;
  }

  private static String version(Document status) {
    String version = status.getString(VERSION);
    return version == null ? MongoSagaStatusBoard.FIRST_VERSION : version;
  }

  private static String reason(Document status) {
    String reason = status.getString(REASON);
    return reason == null || reason.isBlank() ? UNKNOWN_REASON : reason;
  }

  /** {@code part / whole} to four decimals; 0 when there is no whole. */
  static double ratio(long part, long whole) {
    return whole == 0 ? 0 : Math.round(part * 10_000.0 / whole) / 10_000.0;
  }

  private static final class Tally {
    long started;
    long completed;
    long compensationFailed;
    final Map<String, Long> compensated = new TreeMap<>();

    void add(Document status) {
      String state = status.getString(STATE);
      if (SagaState.COMPLETED.name().equals(state)) {
        completed++;
      } else if (SagaState.COMPENSATED.name().equals(state)) {
        compensated.merge(reason(status), 1L, Long::sum);
      } else {
        compensationFailed++;
      }
    }

    Counts counts() {
      long compensatedTotal = compensated.values().stream().mapToLong(Long::longValue).sum();
      return new Counts(
          started,
          completed,
          compensatedTotal,
          Collections.unmodifiableMap(new TreeMap<>(compensated)),
          compensationFailed);
    }
  }
}
