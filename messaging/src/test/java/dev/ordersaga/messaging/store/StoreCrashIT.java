package dev.ordersaga.messaging.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Acknowledged means durable: a process writing to the embedded file store from several threads is
 * killed with SIGKILL at a random moment in the middle of its writes, the store is reopened on the
 * same directory, and every write the process had seen acknowledged must be there. Several rounds
 * on one directory, so the store also recovers from its own earlier kills.
 *
 * <p>The writer is {@link CrashingWriter}, a JVM of its own on this test's classpath.
 */
class StoreCrashIT {

  private static final int ROUNDS = 5;
  private static final int WRITER_THREADS = 6;

  @TempDir Path dataDirectory;

  @Test
  void everyAcknowledgedWriteSurvivesKillMinus9() throws Exception {
    Set<String> acked = new HashSet<>();
    Map<String, Long> counters = new HashMap<>();
    for (int round = 1; round <= ROUNDS; round++) {
      int killAfter = ThreadLocalRandom.current().nextInt(50, 2_000);
      Acknowledgements seen = runAndKill("r" + round, killAfter);
      acked.addAll(seen.ids);
      counters.putAll(seen.counters);

      assertEverythingAcknowledgedIsStored(round, killAfter, acked, counters);
    }
    assertThat(acked).hasSizeGreaterThan(ROUNDS * 50);
  }

  private void assertEverythingAcknowledgedIsStored(
      int round, int killAfter, Set<String> acked, Map<String, Long> counters) {
    try (Store store =
        Store.open(null, CrashingWriter.DATABASE, Store.Embedded.FILE, dataDirectory)) {
      Set<String> stored = new HashSet<>();
      Map<String, Long> storedCounters = new HashMap<>();
      for (Document d :
          store.database().getCollection(CrashingWriter.COLLECTION).find().batchSize(10_000)) {
        String id = d.getString("_id");
        stored.add(id);
        if (id.startsWith("counter-")) {
          storedCounters.put(id, d.getLong("n"));
        }
      }
      assertIndexesAgreeWithTheDocuments(round, store);
      Set<String> lost = new HashSet<>(acked);
      lost.removeAll(stored);
      assertThat(lost)
          .as(
              "round %d (killed after %d acknowledgements): acknowledged documents missing",
              round, killAfter)
          .isEmpty();
      counters.forEach(
          (key, n) ->
              assertThat(storedCounters.get(key))
                  .as("round %d: counter %s was acknowledged at %d", round, key, n)
                  .isNotNull()
                  .isGreaterThanOrEqualTo(n));
    }
  }

  /**
   * Every stored document is found by its {@code _id} and by its unique {@code rev}: no commit
   * stored half of a command (a document written without its index entries, or the reverse).
   */
  private static void assertIndexesAgreeWithTheDocuments(int round, Store store) {
    var writes = store.database().getCollection(CrashingWriter.COLLECTION);
    for (Document d : writes.find().batchSize(10_000)) {
      Object id = d.get("_id");
      assertThat(writes.find(new Document("_id", id)).first())
          .as("round %d: document %s by its _id", round, id)
          .isEqualTo(d);
      assertThat(writes.find(new Document(CrashingWriter.REVISION, d.get("rev"))).first())
          .as("round %d: document %s by its unique rev %s", round, id, d.get("rev"))
          .isEqualTo(d);
    }
  }

  private record Acknowledgements(Set<String> ids, Map<String, Long> counters) {}

  /**
   * Starts a writer, kills it once it has acknowledged enough, and returns what it printed. Its
   * output goes to a file (read while it runs): a pipe read on while the process is killed may end
   * in "Stream closed" instead of its last lines.
   */
  private Acknowledgements runAndKill(String round, int killAfter) throws Exception {
    Path stdout = dataDirectory.resolve("writer-" + round + ".out");
    Path stderr = dataDirectory.resolve("writer-" + round + ".err");
    Process writer =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m",
                "-cp",
                System.getProperty("java.class.path"),
                CrashingWriter.class.getName(),
                dataDirectory.toString(),
                round,
                String.valueOf(WRITER_THREADS))
            .redirectOutput(stdout.toFile())
            .redirectError(stderr.toFile())
            .start();
    try {
      await("the writer acknowledges " + killAfter + " writes (stderr: " + stderr + ")")
          .atMost(Duration.ofMinutes(2))
          .pollInterval(Duration.ofMillis(1))
          .failFast("the writer died", () -> !writer.isAlive())
          .until(() -> acknowledgements(lines(stdout)) >= killAfter);
    } finally {
      writer.destroyForcibly();
    }
    assertThat(writer.waitFor()).as("exit code of a process killed by SIGKILL").isEqualTo(137);
    return parse(lines(stdout), Files.readString(stderr));
  }

  /** The whole lines the writer printed (a last line cut by the kill is left out). */
  private static List<String> lines(Path stdout) throws IOException {
    String text = Files.readString(stdout, StandardCharsets.UTF_8);
    int end = text.lastIndexOf('\n');
    return end < 0 ? List.of() : List.of(text.substring(0, end).split("\n"));
  }

  private static long acknowledgements(List<String> lines) {
    return lines.stream()
        .filter(line -> line.startsWith("acked ") || line.startsWith("counter "))
        .count();
  }

  private static Acknowledgements parse(List<String> lines, String stderr) {
    Set<String> ids = new HashSet<>();
    Map<String, Long> counters = new HashMap<>();
    for (String line : lines) {
      String[] words = line.split(" ");
      if (words[0].equals("acked") && words.length == 2) {
        ids.add(words[1]);
      } else if (words[0].equals("counter") && words.length == 3) {
        counters.merge(words[1], Long.parseLong(words[2]), Math::max);
      }
      // anything else is a library's log line
    }
    assertThat(ids).as("acknowledged ids; the writer's stderr:%n%s", stderr).isNotEmpty();
    return new Acknowledgements(ids, counters);
  }
}
