package dev.ordersaga.messaging.store;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

/**
 * How the embedded store served the queries it was sent, per collection and command: by a unique
 * index (an exact match on all of its keys in a flat filter, {@code _id} included) or by scanning
 * the collection, and how many documents the scans examined. The embedded server records every
 * query it runs, including those of updates, deletes, findAndModify, count and aggregate (an
 * aggregation always scans); {@code system.*} collections are left out.
 *
 * <p>This is how the hot-path rule (DESIGN.md) is checked: a test resets the recorder, runs a saga,
 * and asserts that only the collections of pending work were scanned:
 *
 * <pre>{@code
 * store.scans().reset();
 * // ... a happy-path saga ...
 * assertThat(store.scans().scannedCollections()).as("%s", store.scans()).isSubsetOf("outbox");
 * }</pre>
 *
 * Counts since the last {@link #reset()}; the meter {@code store.scans{collection,command}} counts
 * every scan since the store opened.
 */
public final class StoreScans implements MeterBinder {

  /**
   * How one command used one collection since the last reset.
   *
   * @param indexed queries served by a unique index
   * @param scans queries that scanned the collection
   * @param documentsScanned documents the scans examined
   */
  public record Usage(
      String collection, String command, long indexed, long scans, long documentsScanned) {

    @Override
    public String toString() {
      return String.format(
          "%s %s: %d by index, %d scan(s) over %d document(s)",
          collection, command, indexed, scans, documentsScanned);
    }
  }

  private record Key(String collection, String command) {}

  private static final class Counts {
    final AtomicLong indexed = new AtomicLong();
    final AtomicLong scans = new AtomicLong();
    final AtomicLong documentsScanned = new AtomicLong();
    volatile long indexedAtReset;
    volatile long scansAtReset;
    volatile long documentsScannedAtReset;

    long scansTotal() {
      return scans.get();
    }
  }

  private final Map<Key, Counts> counts = new ConcurrentHashMap<>();
  private final List<MeterRegistry> registries = new CopyOnWriteArrayList<>();

  StoreScans() {}

  /** Counts one query on a collection. */
  void record(String collection, String command, boolean byIndex, long documentsExamined) {
    Key key = new Key(collection, command);
    Counts c = counts.get(key);
    if (c == null) {
      c = counts.computeIfAbsent(key, k -> new Counts());
      registries.forEach(registry -> register(registry, key));
    }
    if (byIndex) {
      c.indexed.incrementAndGet();
    } else {
      c.scans.incrementAndGet();
      c.documentsScanned.addAndGet(documentsExamined);
    }
  }

  /** Every collection and command used since the last reset, by collection and command. */
  public List<Usage> snapshot() {
    return counts.entrySet().stream()
        .map(
            e ->
                new Usage(
                    e.getKey().collection(),
                    e.getKey().command(),
                    e.getValue().indexed.get() - e.getValue().indexedAtReset,
                    e.getValue().scans.get() - e.getValue().scansAtReset,
                    e.getValue().documentsScanned.get() - e.getValue().documentsScannedAtReset))
        .filter(usage -> usage.indexed() > 0 || usage.scans() > 0)
        .sorted(Comparator.comparing(Usage::collection).thenComparing(Usage::command))
        .toList();
  }

  /** The collections scanned at least once since the last reset, sorted. */
  public Set<String> scannedCollections() {
    return snapshot().stream()
        .filter(usage -> usage.scans() > 0)
        .map(Usage::collection)
        .collect(Collectors.toCollection(TreeSet::new));
  }

  /** Scans of one collection since the last reset, by any command. */
  public long scans(String collection) {
    return snapshot().stream()
        .filter(usage -> usage.collection().equals(collection))
        .mapToLong(Usage::scans)
        .sum();
  }

  /** Starts counting from zero (the meters keep counting). */
  public void reset() {
    for (Counts c : counts.values()) {
      c.indexedAtReset = c.indexed.get();
      c.scansAtReset = c.scans.get();
      c.documentsScannedAtReset = c.documentsScanned.get();
    }
  }

  /** Registers {@code store.scans{collection,command}}, also for collections used later. */
  @Override
  public void bindTo(MeterRegistry registry) {
    registries.add(registry);
    counts.keySet().forEach(key -> register(registry, key));
  }

  private void register(MeterRegistry registry, Key key) {
    FunctionCounter.builder("store.scans", counts.get(key), Counts::scansTotal)
        .description("Queries the embedded store answered by scanning a collection")
        .tags("collection", key.collection(), "command", key.command())
        .register(registry);
  }

  /** One line per collection and command, for assertion messages. */
  @Override
  public String toString() {
    List<Usage> usages = snapshot();
    return usages.isEmpty()
        ? "no queries"
        : usages.stream().map(Usage::toString).collect(Collectors.joining("; "));
  }
}
