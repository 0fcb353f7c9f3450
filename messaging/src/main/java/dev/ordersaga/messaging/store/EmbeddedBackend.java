package dev.ordersaga.messaging.store;

import de.bwaldvogel.mongo.backend.h2.H2Backend;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.exception.MongoServerException;
import io.netty.channel.Channel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.h2.mvstore.MVStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * mongo-java-server's H2 backend in a file, made durable: a command that may change data is
 * answered only after its changes are committed to the MVStore file and synced to disk, through
 * {@link GroupCommit}. The sync is {@code fdatasync} ({@code FileChannel.force(false)}) on a
 * channel of our own to the same file: H2's {@code MVStore.sync()} always does a full {@code
 * fsync}, which costs about ten times more here, and a data sync is enough because the MVStore only
 * appends chunks and rewrites blocks it owns (a growing file's size is part of what fdatasync
 * writes). Read-only commands never wait. H2's own background writer stays on: it compacts chunks
 * and rewrites sparse ones as ever.
 */
final class EmbeddedBackend extends H2Backend {

  private static final Logger log = LoggerFactory.getLogger(EmbeddedBackend.class);

  /** Commands known not to change data; anything else waits for its commit. */
  private static final Set<String> READ_ONLY =
      caseInsensitive(
          "find",
          "getMore",
          "killCursors",
          "count",
          "distinct",
          "listCollections",
          "listIndexes",
          "listDatabases",
          "dbStats",
          "collStats",
          "validate",
          "ping",
          "hello",
          "isMaster",
          "buildInfo",
          "whatsmyuri",
          "serverStatus",
          "getLastError",
          "resetError",
          "connectionStatus",
          "hostInfo",
          "getCmdLineOpts",
          "getFreeMonitoringStatus",
          "getLog",
          "replSetGetStatus",
          "endSessions",
          "getParameter",
          "explain");

  private final GroupCommit groupCommit;
  private final FileChannel dataSync;

  private EmbeddedBackend(MVStore mvStore, String name, FileChannel dataSync) {
    super(mvStore);
    this.dataSync = dataSync;
    this.groupCommit = new GroupCommit(name, this::commitAndSync);
  }

  /** A backend in an MVStore file, created if missing; acknowledged writes are on disk. */
  static EmbeddedBackend file(Path file) {
    MVStore mvStore =
        new MVStore.Builder()
            .fileName(file.toString())
            .backgroundExceptionHandler(
                (thread, e) -> log.error("H2 background writer of {} failed", file, e))
            .open();
    try {
      syncDirectory(file.getParent());
      FileChannel dataSync = FileChannel.open(file, StandardOpenOption.WRITE);
      return new EmbeddedBackend(mvStore, file.getFileName().toString(), dataSync);
    } catch (IOException e) {
      mvStore.closeImmediately();
      throw new UncheckedIOException("cannot open " + file + " for syncing", e);
    }
  }

  /** Group commit counts. */
  GroupCommit.Stats commitStats() {
    return groupCommit.stats();
  }

  /**
   * Serves one command on a netty worker thread; when it may have changed data, the worker waits
   * here until the change is durable, so the answer goes out only then. That holds for a command
   * that failed too, since a failing batch may have changed part of its documents.
   */
  @Override
  public Document handleCommand(
      Channel channel, String databaseName, String command, Document query) {
    boolean mustCommit = !isReadOnly(command, query);
    Document response;
    try {
      response = super.handleCommand(channel, databaseName, command, query);
    } catch (RuntimeException e) {
      if (mustCommit) {
        try {
          groupCommit.awaitDurable();
        } catch (RuntimeException notCommitted) {
          e.addSuppressed(notCommitted);
        }
      }
      throw e;
    }
    if (mustCommit) {
      try {
        groupCommit.awaitDurable();
      } catch (IllegalStateException e) {
        throw new MongoServerException("the write is not durable: " + e.getMessage(), e);
      }
    }
    return response;
  }

  /** Whether a command is known not to change data (an aggregation unless it has $out/$merge). */
  static boolean isReadOnly(String command, Document query) {
    if (command.equalsIgnoreCase("aggregate")) {
      return !(query.get("pipeline") instanceof List<?> stages
          && stages.stream()
              .anyMatch(
                  stage ->
                      stage instanceof Document d
                          && (d.containsKey("$out") || d.containsKey("$merge"))));
    }
    return READ_ONLY.contains(command);
  }

  @Override
  public void close() {
    groupCommit.close();
    super.close();
    try {
      dataSync.close();
    } catch (IOException e) {
      log.warn("cannot close the sync channel", e);
    }
  }

  private void commitAndSync() {
    MVStore mvStore = getMvStore();
    if (mvStore.commit() < 0) {
      // Nothing left to store: H2's background writer may have stored our changes, and its
      // stores are written asynchronously; a (no-op) file store operation waits for that write.
      // A commit that did store waited for its own write, and H2's writer threads run stores in
      // order, so every earlier write is done too.
      mvStore.executeFilestoreOperation(() -> {});
    }
    try {
      dataSync.force(false);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot sync " + mvStore.getFileStore().getFileName(), e);
    }
  }

  /** A new file is durable only once its directory entry is. */
  private static void syncDirectory(Path directory) {
    try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
      channel.force(true);
    } catch (IOException e) {
      // some platforms (Windows) cannot open a directory to sync it; their file systems journal it
      log.debug("cannot sync directory {}: {}", directory, e.toString());
    }
  }

  private static Set<String> caseInsensitive(String... names) {
    Set<String> set = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
    set.addAll(List.of(names));
    return set;
  }
}
