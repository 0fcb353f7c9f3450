package dev.ordersaga.saga.canary;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.ReplaceOptions;
import dev.ordersaga.messaging.contracts.order.RejectionReason;
import dev.ordersaga.saga.SagaState;
import dev.ordersaga.saga.SagaStatus;
import dev.ordersaga.saga.runtime.SagaVersions;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import java.util.zip.CRC32;
import org.bson.Document;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The canary release of a candidate saga version: routes a share of new orders to it (by a hash of
 * the order id, so an order always lands on the same side), compares the outcomes of the
 * candidate's sagas with the stable version's over a window, and stops routing to the candidate
 * when its failure rate is worse by more than the margin (an automatic rollback for new sagas;
 * sagas already started finish on their version). Every change, by an operator or automatic, is
 * stored (collection {@value #COLLECTION}, one document) and told to the {@link Listener}s
 * (saga-ops audits them).
 *
 * <p>On the hot path it reads nothing: routing reads the split held in memory; outcomes are counted
 * in memory as the runtime stores steps ({@link SagaVersions.Observer}), per engine instance. A
 * failure is a saga that ended COMPENSATED or COMPENSATION_FAILED for a reason of its own (a
 * shopper's cancellation or an operator's abort is not held against a version).
 */
public class Canary implements SagaVersions.Router, SagaVersions.Observer {

  private static final Logger log = LoggerFactory.getLogger(Canary.class);

  public static final String COLLECTION = "saga_canary";
  private static final String ID = "canary";
  private static final int MAX_OUTCOMES = 200_000;

  /** Where the canary stands. */
  public enum State {
    /** No candidate gets orders. */
    OFF,
    /** The candidate gets {@code percent} of new orders. */
    ACTIVE,
    /** Stopped automatically: the candidate did worse; no new orders go to it. */
    ROLLED_BACK
  }

  /**
   * The split of new orders.
   *
   * @param changedBy the operator, {@code saga-engine} for an automatic rollback, or {@code
   *     configuration}
   * @param reason why it was changed
   */
  public record Split(
      String candidate,
      int percent,
      State state,
      Instant changedAt,
      String changedBy,
      String reason) {

    /** The share of new orders the candidate gets now. */
    public int effectivePercent() {
      return state == State.ACTIVE && candidate != null ? percent : 0;
    }
  }

  /** A change of the split; {@code automatic} for a rollback by the engine. */
  public record Change(Split before, Split after, boolean automatic) {}

  /** Told of every change of the split (saga-ops writes it in the audit log). */
  @FunctionalInterface
  public interface Listener {
    void changed(Change change);
  }

  /**
   * What one version's sagas did in the window.
   *
   * @param ended sagas of it that reached an outcome in the window
   * @param failed those that failed (compensated, or compensation failed)
   * @param failureRate {@code failed / ended}, 0 when none ended
   * @param meanDuration their mean time from start to outcome
   */
  public record Outcomes(
      String version, int ended, int failed, double failureRate, Duration meanDuration) {}

  /**
   * The canary as operators see it.
   *
   * @param verdict what the comparison says now
   */
  public record View(
      String stable,
      List<String> versions,
      Split split,
      int effectivePercent,
      Duration window,
      int minSample,
      double margin,
      Outcomes stableOutcomes,
      Outcomes candidateOutcomes,
      String verdict) {}

  /** A saga's outcome, counted once (its latest) in the window. */
  private record Outcome(String version, boolean failed, long millis, Instant at) {}

  private static final class Tally {
    int ended;
    int failed;
    long millis;

    void add(Outcome outcome, int sign) {
      ended += sign;
      failed += outcome.failed() ? sign : 0;
      millis += sign * outcome.millis();
    }
  }

  private final SagaVersions versions;
  private final MongoCollection<Document> store;
  private final Clock clock;
  private final CanarySettings settings;
  private final Supplier<List<Listener>> listeners;
  private final MeterRegistry meters;
  private volatile Split split;

  /** Each saga's latest outcome in the window, oldest first, and the tallies per version. */
  private final LinkedHashMap<String, Outcome> outcomes = new LinkedHashMap<>();

  private final Map<String, Tally> tallies = new HashMap<>();

  public Canary(
      SagaVersions versions,
      MongoDatabase database,
      Clock clock,
      CanarySettings settings,
      MeterRegistry meters,
      Supplier<List<Listener>> listeners) {
    this.versions = versions;
    this.store = database.getCollection(COLLECTION);
    this.clock = clock;
    this.settings = settings;
    this.meters = meters;
    this.listeners = listeners;
    Split stored = read();
    if (stored != null) {
      split = stored;
    } else {
      String candidate = settings.candidate();
      if (candidate != null) {
        check(candidate, settings.percent());
      }
      split =
          new Split(
              candidate,
              settings.percent(),
              candidate != null && settings.percent() > 0 ? State.ACTIVE : State.OFF,
              clock.instant(),
              "configuration",
              "saga.canary settings");
    }
    Gauge.builder("saga.canary.percent", this, c -> c.split.effectivePercent())
        .description("Share of new orders routed to the candidate saga version now")
        .register(meters);
  }

  /** The bucket of an order, 0 to 99: the candidate takes the buckets below its percent. */
  public static int bucket(String orderId) {
    CRC32 crc = new CRC32();
    crc.update(orderId.getBytes(StandardCharsets.UTF_8));
    return (int) (crc.getValue() % 100);
  }

  @Override
  public String versionFor(String orderId) {
    Split now = split;
    int percent = now.effectivePercent();
    return percent > 0 && bucket(orderId) < percent ? now.candidate() : null;
  }

  @Override
  public void stepped(String version, SagaStatus before, SagaStatus after) {
    SagaState state = after.state();
    boolean outcome =
        state == SagaState.COMPLETED
            || state == SagaState.COMPENSATED
            || state == SagaState.COMPENSATION_FAILED;
    if (!outcome || (before != null && before.state() == state)) {
      return;
    }
    boolean failed = state != SagaState.COMPLETED && !excused(after.reason());
    long millis = Math.max(0, after.updatedAt().toEpochMilli() - after.startedAt().toEpochMilli());
    String rollback;
    synchronized (outcomes) {
      Outcome previous = outcomes.remove(after.orderId());
      if (previous != null) {
        tally(previous.version()).add(previous, -1);
      }
      Outcome counted = new Outcome(version, failed, millis, clock.instant());
      outcomes.put(after.orderId(), counted);
      tally(version).add(counted, 1);
      prune();
      rollback = verdictAgainst(split);
    }
    if (rollback != null) {
      rollBack(rollback);
    }
  }

  private static boolean excused(String reason) {
    return RejectionReason.CANCELLED_BY_SHOPPER.name().equals(reason)
        || RejectionReason.OPERATOR_ABORTED.name().equals(reason);
  }

  /** Why the candidate must be rolled back now, or {@code null}. Holds the outcomes' lock. */
  private String verdictAgainst(Split now) {
    if (now.effectivePercent() == 0) {
      return null;
    }
    Outcomes candidate = outcomesOf(now.candidate());
    Outcomes stable = outcomesOf(versions.stable());
    if (candidate.ended() < settings.minSample() || stable.ended() < settings.minSample()) {
      return null;
    }
    if (candidate.failureRate() - stable.failureRate() <= settings.margin()) {
      return null;
    }
    return String.format(
        Locale.ROOT,
        "failure rate of %s %.1f%% (%d of %d) against %s %.1f%% (%d of %d) over %s: worse by"
            + " more than the margin of %.1f points",
        now.candidate(),
        candidate.failureRate() * 100,
        candidate.failed(),
        candidate.ended(),
        versions.stable(),
        stable.failureRate() * 100,
        stable.failed(),
        stable.ended(),
        settings.window(),
        settings.margin() * 100);
  }

  private void rollBack(String reason) {
    Split before;
    Split after;
    synchronized (this) {
      before = split;
      if (before.state() != State.ACTIVE) {
        return; // another step rolled it back first
      }
      after =
          new Split(
              before.candidate(),
              before.percent(),
              State.ROLLED_BACK,
              clock.instant(),
              "saga-engine",
              reason);
      split = after;
    }
    log.warn("canary of saga version {} rolled back: {}", after.candidate(), reason);
    Counter.builder("saga.canary.rollbacks")
        .description("Canaries of a candidate saga version stopped for doing worse")
        .tag("candidate", after.candidate())
        .register(meters)
        .increment();
    try {
      write(after);
    } catch (RuntimeException e) {
      // routing stopped in this engine already; the next refresh or change stores it again
      log.error("the canary's rollback could not be stored: {}", e.toString());
    }
    tell(new Change(before, after, true));
  }

  /**
   * An operator's change of the split; the comparison starts over (outcomes counted so far are
   * dropped).
   *
   * @throws IllegalArgumentException naming the field: a candidate that is not deployed or is the
   *     stable version, a percent outside 0 to 100
   */
  public Split set(String candidate, int percent, String who, String reason) {
    check(candidate, percent);
    Split before;
    Split after;
    synchronized (this) {
      before = split;
      after =
          new Split(
              candidate,
              percent,
              percent > 0 ? State.ACTIVE : State.OFF,
              clock.instant(),
              who,
              reason);
      write(after);
      split = after;
    }
    synchronized (outcomes) {
      outcomes.clear();
      tallies.clear();
    }
    log.info("canary set by {}: {} at {}% ({})", who, candidate, percent, reason);
    tell(new Change(before, after, false));
    return after;
  }

  private void check(String candidate, int percent) {
    if (candidate == null || versions.find(candidate).isEmpty()) {
      throw new IllegalArgumentException(
          "candidate: is not a saga version of this engine " + versions.versions());
    }
    if (candidate.equals(versions.stable())) {
      throw new IllegalArgumentException(
          "candidate: is the stable version " + versions.stable() + " itself");
    }
    if (percent < 0 || percent > 100) {
      throw new IllegalArgumentException("percent: must be 0 to 100");
    }
  }

  public Split split() {
    return split;
  }

  public View view() {
    Split now = split;
    synchronized (outcomes) {
      prune();
      String verdict;
      Outcomes candidate = outcomesOf(now.candidate());
      Outcomes stable = outcomesOf(versions.stable());
      if (now.state() == State.ROLLED_BACK) {
        verdict = "rolled back: " + now.reason();
      } else if (now.effectivePercent() == 0) {
        verdict = "off";
      } else if (candidate.ended() < settings.minSample()
          || stable.ended() < settings.minSample()) {
        verdict =
            "collecting: each version needs "
                + settings.minSample()
                + " sagas ended in the window before they are compared";
      } else {
        verdict = "kept: the candidate does no worse than the margin allows";
      }
      return new View(
          versions.stable(),
          List.copyOf(versions.versions()),
          now,
          now.effectivePercent(),
          settings.window(),
          settings.minSample(),
          settings.margin(),
          stable,
          candidate,
          verdict);
    }
  }

  /** Reads the stored split again: another engine may have changed it or rolled it back. */
  public void refresh() {
    Split stored = read();
    if (stored == null || stored.equals(split)) {
      return;
    }
    synchronized (this) {
      Split now = split;
      // a change made here after the read is newer than what was read
      if (now.changedAt() != null
          && stored.changedAt() != null
          && stored.changedAt().isBefore(now.changedAt())) {
        return;
      }
      split = stored;
    }
    log.info(
        "canary split now {} at {}% ({})", stored.candidate(), stored.percent(), stored.state());
  }

  private Outcomes outcomesOf(String version) {
    Tally tally = version == null ? null : tallies.get(version);
    if (tally == null || tally.ended == 0) {
      return new Outcomes(version, 0, 0, 0, Duration.ZERO);
    }
    return new Outcomes(
        version,
        tally.ended,
        tally.failed,
        (double) tally.failed / tally.ended,
        Duration.ofMillis(tally.millis / tally.ended));
  }

  private Tally tally(String version) {
    return tallies.computeIfAbsent(version, v -> new Tally());
  }

  /** Drops outcomes older than the window (and the oldest beyond the cap). */
  private void prune() {
    Instant oldest = clock.instant().minus(settings.window());
    Iterator<Outcome> it = outcomes.values().iterator();
    while (it.hasNext()) {
      Outcome next = it.next();
      if (!next.at().isBefore(oldest) && outcomes.size() <= MAX_OUTCOMES) {
        break;
      }
      tally(next.version()).add(next, -1);
      it.remove();
    }
  }

  private void tell(Change change) {
    for (Listener listener : listeners.get()) {
      try {
        listener.changed(change);
      } catch (RuntimeException e) {
        log.error("a canary listener failed on {}: {}", change, e.toString());
      }
    }
  }

  private Split read() {
    Document found = store.find(Filters.eq("_id", ID)).first();
    if (found == null) {
      return null;
    }
    Date at = found.getDate("changedAt");
    return new Split(
        found.getString("candidate"),
        found.getInteger("percent", 0),
        State.valueOf(found.getString("state")),
        at == null ? null : at.toInstant(),
        found.getString("changedBy"),
        found.getString("reason"));
  }

  private void write(Split split) {
    store.replaceOne(
        Filters.eq("_id", ID),
        new Document("_id", ID)
            .append("candidate", split.candidate())
            .append("percent", split.percent())
            .append("state", split.state().name())
            .append("changedAt", Date.from(split.changedAt()))
            .append("changedBy", split.changedBy())
            .append("reason", split.reason()),
        new ReplaceOptions().upsert(true));
  }
}
