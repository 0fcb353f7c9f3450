package dev.ordersaga.messaging.bench;

import static com.mongodb.client.model.Filters.eq;
import static com.mongodb.client.model.Updates.combine;
import static com.mongodb.client.model.Updates.set;

import ch.qos.logback.classic.Level;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.UpdateOptions;
import de.bwaldvogel.mongo.MongoBackend;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import dev.ordersaga.messaging.store.Store;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.LongSupplier;
import java.util.stream.Stream;
import org.bson.Document;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Prints what a durable write costs on this machine: small-document upserts by {@code _id} with 1,
 * 8 and 32 concurrent writers against the embedded store as a durable file (group commit), the old
 * file store (H2's defaults: answered before it is written), H2 in memory (the test store) and
 * mongo-java-server's MemoryBackend (the test store before); ops/s, latency percentiles, and for
 * the durable file the commits (each with its sync) per second and the writes each served. Then a
 * long run of small updates, to see what the file's size does. Not a test: it asserts nothing and
 * is run by hand, see messaging/README.md.
 *
 * <p>Arguments: seconds per run (default 5), updates in the long run (default 100000).
 */
public final class StoreBenchmark {

  private static final int KEYS = 10_000;
  private static final int[] WRITERS = {1, 8, 32};

  /** A store under test: its collection, its commits, its file. */
  private interface Target extends AutoCloseable {
    MongoCollection<Document> collection();

    Store.CommitStats commits();

    long fileSize();

    @Override
    void close();
  }

  public static void main(String[] args) throws Exception {
    // the servers log every connection; keep the figures readable
    ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME))
        .setLevel(Level.WARN);
    int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
    int longRunUpdates = args.length > 1 ? Integer.parseInt(args[1]) : 100_000;
    Path data = Files.createTempDirectory("store-bench");
    try {
      System.out.printf(
          "store benchmark: upserts by _id over %,d keys, %d s a run, data in %s, %d cores%n",
          KEYS, seconds, data, Runtime.getRuntime().availableProcessors());
      try (Target warmUp = memory()) {
        measure(warmUp, 8, 10); // the client, the server and the engine compiled before any run
      }
      run("durable file (group commit)", () -> durableFile(data.resolve("durable")), seconds);
      run("old file (H2 defaults, no sync)", () -> oldFile(data.resolve("old")), seconds);
      run("memory (H2, the test store)", StoreBenchmark::memory, seconds);
      run("memory (MemoryBackend, before)", StoreBenchmark::memoryBackend, seconds);
      longRun("durable file", durableFile(data.resolve("long-durable")), longRunUpdates);
      longRun("old file", oldFile(data.resolve("long-old")), longRunUpdates);
    } finally {
      delete(data);
    }
  }

  private interface Opener {
    Target open() throws IOException;
  }

  private static void run(String name, Opener opener, int seconds) throws Exception {
    try (Target target = opener.open()) {
      measure(target, 8, 2); // warm-up
      for (int writers : WRITERS) {
        Store.CommitStats before = target.commits();
        Result result = measure(target, writers, seconds);
        Store.CommitStats after = target.commits();
        long commits = after.commits() - before.commits();
        String commitFigures =
            commits == 0
                ? ""
                : String.format(
                    "; %,.0f commits/s, %.1f writes/commit",
                    commits / result.seconds,
                    (after.writes() - before.writes()) / (double) commits);
        System.out.printf(
            "%-32s %2d writer(s): %,7.0f ops/s, %s%s%n",
            name, writers, result.ops / result.seconds, percentiles(result.nanos), commitFigures);
      }
      if (target.fileSize() > 0) {
        System.out.printf("%-32s file after the runs: %,d KiB%n", name, target.fileSize() >> 10);
      }
    }
  }

  private record Result(long ops, double seconds, long[] nanos) {}

  private static Result measure(Target target, int writers, int seconds) throws Exception {
    MongoCollection<Document> collection = target.collection();
    ExecutorService pool = Executors.newFixedThreadPool(writers);
    long deadline = System.nanoTime() + seconds * 1_000_000_000L;
    long started = System.nanoTime();
    List<Future<long[]>> results = new ArrayList<>();
    for (int w = 0; w < writers; w++) {
      results.add(
          pool.submit(
              () -> {
                long[] nanos = new long[1024];
                int n = 0;
                ThreadLocalRandom random = ThreadLocalRandom.current();
                while (System.nanoTime() < deadline) {
                  long begin = System.nanoTime();
                  upsert(collection, "key-" + random.nextInt(KEYS), n);
                  if (n == nanos.length) {
                    nanos = Arrays.copyOf(nanos, n * 2);
                  }
                  nanos[n++] = System.nanoTime() - begin;
                }
                return Arrays.copyOf(nanos, n);
              }));
    }
    long[] all = new long[0];
    for (Future<long[]> result : results) {
      long[] nanos = result.get();
      int at = all.length;
      all = Arrays.copyOf(all, at + nanos.length);
      System.arraycopy(nanos, 0, all, at, nanos.length);
    }
    double elapsed = (System.nanoTime() - started) / 1e9;
    pool.shutdown();
    return new Result(all.length, elapsed, all);
  }

  private static void upsert(MongoCollection<Document> collection, String id, int n) {
    collection.updateOne(
        eq("_id", id),
        combine(set("n", n), set("state", "AUTHORIZED"), set("amount", 4200)),
        new UpdateOptions().upsert(true));
  }

  /** Updates 1,000 documents over and over with 8 writers, printing the file's size as it goes. */
  private static void longRun(String name, Target target, int updates) throws Exception {
    int writers = 8;
    int step = Math.max(1, updates / 5);
    try (target) {
      MongoCollection<Document> collection = target.collection();
      long started = System.nanoTime();
      for (int done = 0; done < updates; done += step) {
        int from = done;
        int chunk = Math.min(step, updates - done);
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        List<Future<?>> results = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
          int writer = w;
          results.add(
              pool.submit(
                  () -> {
                    for (int i = writer; i < chunk; i += writers) {
                      upsert(collection, "key-" + ((from + i) % 1_000), from + i);
                    }
                  }));
        }
        for (Future<?> result : results) {
          result.get();
        }
        pool.shutdown();
        System.out.printf(
            "%-16s long run: %,7d updates, file %,6d KiB, %,.0f s%n",
            name, from + chunk, target.fileSize() >> 10, (System.nanoTime() - started) / 1e9);
      }
    }
  }

  private static Target durableFile(Path directory) {
    // the store's file and its command log's segments
    return embedded(
        Store.open(null, "bench", Store.Embedded.FILE, directory),
        () -> {
          try (var files = Files.list(directory)) {
            return files.mapToLong(StoreBenchmark::size).sum();
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        });
  }

  /** The file store as it was: H2's defaults, written about a second after it answered. */
  private static Target oldFile(Path directory) throws IOException {
    Files.createDirectories(directory);
    Path file = directory.resolve("bench.mv.db");
    return server(new H2Backend(file.toString()), file);
  }

  private static Target memory() {
    return embedded(Store.open(null, "bench", Store.Embedded.MEMORY, Path.of("unused")), () -> 0);
  }

  /** The store as the services open it; {@code fileSize}: how much it has on disk. */
  private static Target embedded(Store store, LongSupplier fileSize) {
    return new Target() {
      @Override
      public MongoCollection<Document> collection() {
        return store.database().getCollection("payments");
      }

      @Override
      public Store.CommitStats commits() {
        return store.commitStats();
      }

      @Override
      public long fileSize() {
        return fileSize.getAsLong();
      }

      @Override
      public void close() {
        store.close();
      }
    };
  }

  private static Target memoryBackend() {
    return server(new MemoryBackend(), null);
  }

  /** A server with mongo-java-server's default threads, as the store used to bind it. */
  private static Target server(MongoBackend backend, Path file) {
    MongoServer server = new MongoServer(backend);
    MongoClient client =
        MongoClients.create(
            "mongodb://127.0.0.1:" + server.bind().getPort() + "/?directConnection=true");
    return new Target() {
      @Override
      public MongoCollection<Document> collection() {
        return client.getDatabase("bench").getCollection("payments");
      }

      @Override
      public Store.CommitStats commits() {
        return new Store.CommitStats(0, 0);
      }

      @Override
      public long fileSize() {
        return file == null ? 0 : size(file);
      }

      @Override
      public void close() {
        client.close();
        server.shutdownNow();
      }
    };
  }

  private static long size(Path file) {
    try {
      return Files.size(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void delete(Path directory) throws IOException {
    try (Stream<Path> paths = Files.walk(directory)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(path);
      }
    }
  }

  private static String percentiles(long[] nanos) {
    long[] sorted = nanos.clone();
    Arrays.sort(sorted);
    return String.format("p50 %.2f ms, p99 %.2f ms", at(sorted, 0.50), at(sorted, 0.99));
  }

  private static double at(long[] sorted, double quantile) {
    return sorted[(int) Math.min(sorted.length - 1, Math.floor(quantile * sorted.length))] / 1e6;
  }
}
