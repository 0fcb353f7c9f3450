package dev.ordersaga.messaging.store;

import de.bwaldvogel.mongo.MongoCollection;
import de.bwaldvogel.mongo.MongoDatabase;
import de.bwaldvogel.mongo.backend.CollectionOptions;
import de.bwaldvogel.mongo.backend.CursorRegistry;
import de.bwaldvogel.mongo.backend.Index;
import de.bwaldvogel.mongo.backend.IndexKey;
import de.bwaldvogel.mongo.backend.QueryResult;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import de.bwaldvogel.mongo.backend.h2.H2Collection;
import de.bwaldvogel.mongo.backend.h2.H2Database;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.exception.MongoServerException;
import io.netty.channel.Channel;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Stream;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * mongo-java-server's H2 backend, made durable and observable.
 *
 * <ul>
 *   <li><b>Durable</b> (file only): a command that may change data is answered only after its
 *       changes are committed to the MVStore file and synced to disk, through {@link GroupCommit}.
 *       The sync is {@code fdatasync} ({@code FileChannel.force(false)}) on a channel of our own to
 *       the same file: H2's {@code MVStore.sync()} always does a full {@code fsync}, which costs
 *       about ten times more here, and a data sync is enough because the MVStore only appends
 *       chunks and rewrites blocks it owns (a growing file's size is part of what fdatasync
 *       writes). Read-only commands never wait.
 *   <li><b>Observable</b>: every query the server runs is recorded in {@link StoreScans} as served
 *       by a unique index or by a scan, by the collection itself at the point where
 *       mongo-java-server decides ({@code AbstractMongoCollection.queryDocuments}).
 * </ul>
 *
 * H2's own background writer is off: it would commit whatever commands are half done at that
 * moment. Every commit is the group commit's, made while no command that changes data runs, and the
 * chunk compaction the writer did runs there too ({@code compactNowAndThen}). H2's retention time
 * is cut from 45 s to {@value #RETENTION_MILLIS} ms: H2 keeps a dead chunk that long on the
 * assumption that the operating system has written it by then ("using a lower value might be
 * dangerous, unless the file system and hard disk flush the buffers earlier"), and here every
 * commit is synced at once. At 45 s a store under steady writes kept every chunk of the last 45 s:
 * its file reached 800 MB after 100,000 small updates of 1,000 documents; at 1 s it stays between
 * 25 and 60 MB however long the run (StoreBenchmark's long run). Readers do not depend on it
 * either: every query holds its MVStore version ({@code registerVersionUsage}) while it runs, so no
 * chunk it reads is reused under it, however long it takes.
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

  /**
   * How often everything applied is stored in the file and the log before it dropped. A checkpoint
   * writes every page changed since the last one, whole, with every document on it: under load
   * nearly every page of a busy collection changes within a second, so at 1 s the checkpoints
   * re-encoded the same documents many times over (about 9% of all CPU at 32 sagas in flight). At
   * start the log since the last checkpoint is applied again: a few thousand commands at most.
   */
  static final long CHECKPOINT_MILLIS = 5_000;

  /** The map in the store's file that says where the log's replay starts. */
  private static final String CHECKPOINTS = "ordersaga.checkpoints";

  private static final String REPLAY_FROM = "replayFrom";

  private static final long COMPACTION_INTERVAL_MILLIS = 10_000;
  private static final int COMPACTION_FILL_RATE = 50;
  private static final int COMPACTION_WRITE_BYTES = 1 << 20;

  /** How long H2 keeps a dead chunk before it reuses its space; see above. */
  static final int RETENTION_MILLIS = 1_000;

  /** The command the current thread serves, for the queries it runs. */
  private static final ThreadLocal<String> COMMAND = new ThreadLocal<>();

  /** The query the current thread runs, while it runs. */
  private static final ThreadLocal<Query> QUERY = new ThreadLocal<>();

  /**
   * Held while a command that may change data runs and is appended to the log, and while a
   * checkpoint commits: the log's order is the order the store applied the commands (a replay gives
   * the same result), and a checkpoint stores only whole commands. mongo-java-server changes a
   * document and each of its indexes in separate H2 map operations: a commit in between, then a
   * crash, would leave an index that disagrees with the documents.
   */
  private final ReentrantLock apply = new ReentrantLock();

  private long lastCompaction = System.nanoTime();
  private boolean changedSinceCheckpoint;

  private final StoreScans scans = new StoreScans();
  private final String name;
  private final GroupCommit groupCommit;
  private final CommandLog commandLog;
  private final MVMap<String, Long> checkpoints;
  private final FileChannel dataSync;
  private final ScheduledExecutorService checkpointer;

  private EmbeddedBackend(MVStore mvStore, String name, Path directory, FileChannel dataSync) {
    super(mvStore);
    this.name = name;
    this.dataSync = dataSync;
    if (dataSync == null) {
      this.commandLog = null;
      this.checkpoints = null;
      this.groupCommit = null;
      this.checkpointer = null;
      return;
    }
    this.checkpoints = mvStore.openMap(CHECKPOINTS);
    long replayFrom = checkpoints.getOrDefault(REPLAY_FROM, 0L);
    CommandLog log = new CommandLog(directory, name, replayFrom);
    this.commandLog = log;
    replay(log, replayFrom);
    List<Long> segments = log.segments();
    long next = segments.isEmpty() ? replayFrom : segments.get(segments.size() - 1) + 1;
    while (log.rotate() < next) {
      // new commands go to a segment of their own, after whatever is on disk
    }
    this.groupCommit = new GroupCommit(name, log::flush);
    changedSinceCheckpoint = true;
    checkpoint();
    this.checkpointer =
        Executors.newSingleThreadScheduledExecutor(
            runnable -> {
              Thread thread = new Thread(runnable, "store-checkpoint-" + name);
              thread.setDaemon(true);
              return thread;
            });
    checkpointer.scheduleWithFixedDelay(
        this::checkpointNow, CHECKPOINT_MILLIS, CHECKPOINT_MILLIS, TimeUnit.MILLISECONDS);
  }

  /** A backend in an MVStore file, created if missing; acknowledged writes are on disk. */
  static EmbeddedBackend file(Path file) {
    MVStore mvStore =
        new MVStore.Builder()
            .fileName(file.toString())
            // no background commits: one would store whatever commands are half done at that
            // moment; every commit is a checkpoint's, between commands
            .autoCommitDisabled()
            .open();
    mvStore.setRetentionTime(RETENTION_MILLIS);
    try {
      syncDirectory(file.getParent());
      FileChannel dataSync = FileChannel.open(file, StandardOpenOption.WRITE);
      String name = file.getFileName().toString();
      return new EmbeddedBackend(mvStore, name, file.getParent(), dataSync);
    } catch (IOException e) {
      mvStore.closeImmediately();
      throw new UncheckedIOException("cannot open " + file + " for syncing", e);
    }
  }

  /** Applies again the logged commands after the last checkpoint, in order. */
  private void replay(CommandLog log, long from) {
    EmbeddedChannel channel = new EmbeddedChannel();
    long started = System.nanoTime();
    long replayed =
        log.replay(
            from,
            entry -> {
              try {
                super.handleCommand(channel, entry.database(), entry.command(), entry.query());
              } catch (RuntimeException e) {
                // it failed when it first ran too (a duplicate key, say), with the same effect
                LoggerFactory.getLogger(EmbeddedBackend.class)
                    .debug("replayed {} failed again: {}", entry.command(), e.toString());
              }
            });
    channel.close();
    if (replayed > 0) {
      LoggerFactory.getLogger(EmbeddedBackend.class)
          .info(
              "{}: {} logged command(s) after the last checkpoint applied again in {} ms",
              name,
              replayed,
              (System.nanoTime() - started) / 1_000_000);
    }
  }

  private void checkpointNow() {
    try {
      checkpoint();
    } catch (RuntimeException e) {
      LoggerFactory.getLogger(EmbeddedBackend.class)
          .error("checkpoint of {} failed; the log keeps every command since", name, e);
    }
  }

  /**
   * Stores everything applied so far in the store's file, between two commands: the commands logged
   * before are then in the file, and once it is synced their log segments are deleted.
   */
  private void checkpoint() {
    long next;
    apply.lock();
    try {
      if (!changedSinceCheckpoint) {
        return;
      }
      next = commandLog.rotate();
      checkpoints.put(REPLAY_FROM, next);
      compactNowAndThen(getMvStore());
      getMvStore().commit();
      changedSinceCheckpoint = false;
    } finally {
      apply.unlock();
    }
    try {
      dataSync.force(false);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot sync the store file of " + name, e);
    }
    commandLog.obsolete(next);
  }

  /** A backend in memory: nothing to sync. */
  static EmbeddedBackend inMemoryStore() {
    return new EmbeddedBackend(MVStore.open(null), "memory", null, null);
  }

  StoreScans scans() {
    return scans;
  }

  /** Group commit counts; zero in memory. */
  GroupCommit.Stats commitStats() {
    return groupCommit == null ? new GroupCommit.Stats(0, 0) : groupCommit.stats();
  }

  /**
   * Serves one command on a netty worker thread; when it may have changed data, the worker waits
   * here until the change is durable, so the answer goes out only then. That holds for a command
   * that failed too, since a failing batch may have changed part of its documents.
   */
  @Override
  public Document handleCommand(
      Channel channel, String databaseName, String command, Document query) {
    boolean logged = commandLog != null && !isReadOnly(command, query);
    String outer = COMMAND.get();
    COMMAND.set(command);
    try {
      if (!logged) {
        return super.handleCommand(channel, databaseName, command, query);
      }
      Document response = null;
      RuntimeException failure = null;
      apply.lock();
      try {
        try {
          response = super.handleCommand(channel, databaseName, command, query);
        } catch (RuntimeException e) {
          failure = e; // a failing batch may have changed part of its documents: logged too
        }
        commandLog.append(databaseName, command, query);
        changedSinceCheckpoint = true;
      } finally {
        apply.unlock();
      }
      try {
        groupCommit.awaitDurable();
      } catch (IllegalStateException e) {
        if (failure != null) {
          failure.addSuppressed(e);
          throw failure;
        }
        throw new MongoServerException("the write is not durable: " + e.getMessage(), e);
      }
      if (failure != null) {
        throw failure;
      }
      return response;
    } finally {
      COMMAND.set(outer);
    }
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
  protected MongoDatabase openOrCreateDatabase(String databaseName) {
    return new RecordingDatabase(databaseName, getMvStore(), getCursorRegistry());
  }

  @Override
  public void close() {
    if (checkpointer != null) {
      // not shutdownNow: interrupting a checkpoint in its sync closes the file channel (and it
      // failed with a stack trace on every stop); a running checkpoint finishes, later ones are
      // cancelled, and the last is made below
      checkpointer.shutdown();
      try {
        checkpointer.awaitTermination(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    if (groupCommit != null) {
      groupCommit.close();
      checkpointNow();
      commandLog.close();
    }
    super.close();
    if (dataSync != null) {
      try {
        dataSync.close();
      } catch (IOException e) {
        log.warn("cannot close the sync channel", e);
      }
    }
  }

  /**
   * H2's background writer is off (it would commit half-done commands), so its chunk compaction
   * runs here, between commands: every {@value #COMPACTION_INTERVAL_MILLIS} ms, chunks less than
   * {@value #COMPACTION_FILL_RATE}% live are rewritten, a little at a time; the commit that follows
   * stores them and frees the old chunks.
   */
  private void compactNowAndThen(MVStore mvStore) {
    long now = System.nanoTime();
    if (now - lastCompaction < TimeUnit.MILLISECONDS.toNanos(COMPACTION_INTERVAL_MILLIS)) {
      return;
    }
    lastCompaction = now;
    mvStore.compact(COMPACTION_FILL_RATE, COMPACTION_WRITE_BYTES);
  }

  /** A new file is durable only once its directory entry is. */
  static void syncDirectory(Path directory) {
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

  /**
   * An H2 database whose collections record how their queries are served. It is an inner class on
   * purpose: H2Database's constructor opens the existing collections before a subclass's own fields
   * are set, while the enclosing backend (and so the MVStore) is set before that constructor runs.
   */
  private final class RecordingDatabase extends H2Database {

    RecordingDatabase(String databaseName, MVStore mvStore, CursorRegistry cursorRegistry) {
      super(databaseName, mvStore, cursorRegistry);
    }

    @Override
    protected MongoCollection<Object> openOrCreateCollection(
        String collectionName, CollectionOptions options) {
      // the map names H2Database gives a collection's documents and its metadata
      String fullName = getFullCollectionNamespace(collectionName);
      MVStore mvStore = getMvStore();
      return new RecordingCollection(
          this,
          collectionName,
          options,
          mvStore.openMap(
              "databases." + fullName,
              new MVMap.Builder<Object, Document>()
                  .keyType(MongoKeyType.INSTANCE)
                  .valueType(BsonDocumentType.INSTANCE)),
          mvStore.openMap("meta." + fullName),
          cursorRegistry);
    }

    /** A unique index: keys compared as MongoDB values, never Java-serialized (MongoKeyType). */
    @Override
    protected Index<Object> openOrCreateUniqueIndex(
        String collectionName, String indexName, List<IndexKey> keys, boolean sparse) {
      MVMap<Object, Object> entries =
          getMvStore()
              .openMap(
                  getFullCollectionNamespace(collectionName) + "._index_" + indexName,
                  new MVMap.Builder<Object, Object>()
                      .keyType(MongoKeyType.INSTANCE)
                      .valueType(MongoKeyType.INSTANCE));
      return new KeyedH2UniqueIndex(entries, indexName, keys, sparse);
    }
  }

  /** How one query went: by index or by scan, and over how many documents. */
  private static final class Query {
    boolean byIndex;
    long documentsExamined;
  }

  /**
   * An H2 collection that records each query in the backend's {@link StoreScans}: {@code
   * queryDocuments} picks the first index that can handle the filter and otherwise scans; the two
   * paths end in different {@code matchDocuments} methods, which say which one was taken. Inner, as
   * the database: a collection may be opened before the backend's own fields are set, and reads
   * them only when it runs a query.
   */
  private final class RecordingCollection extends H2Collection {

    private final boolean recorded;

    RecordingCollection(
        MongoDatabase database,
        String collectionName,
        CollectionOptions options,
        MVMap<Object, Document> dataMap,
        MVMap<String, Object> metaMap,
        CursorRegistry cursorRegistry) {
      super(database, collectionName, options, dataMap, metaMap, cursorRegistry);
      this.recorded = !collectionName.startsWith("system.");
    }

    /**
     * No data size kept: mongo-java-server encodes every document it inserts, updates or deletes
     * once more (twice for an update) only to add up the collection's size for {@code collStats}
     * and {@code dbStats}, which nothing here reads; that was about 7% of all CPU under load. Their
     * {@code size} stays as it was.
     */
    @Override
    protected boolean tracksDataSize() {
      return false;
    }

    @Override
    protected QueryResult queryDocuments(
        Document query,
        Document orderBy,
        int numberToSkip,
        int limit,
        int batchSize,
        Document fieldSelector) {
      MVStore mvStore = getMvStore();
      MVStore.TxCounter version = mvStore.registerVersionUsage();
      try {
        if (!recorded) {
          return super.queryDocuments(
              query, orderBy, numberToSkip, limit, batchSize, fieldSelector);
        }
        return recordedQuery(query, orderBy, numberToSkip, limit, batchSize, fieldSelector);
      } finally {
        mvStore.deregisterVersionUsage(version);
      }
    }

    private QueryResult recordedQuery(
        Document query,
        Document orderBy,
        int numberToSkip,
        int limit,
        int batchSize,
        Document fieldSelector) {
      Query outer = QUERY.get();
      Query current = new Query();
      QUERY.set(current);
      try {
        return super.queryDocuments(query, orderBy, numberToSkip, limit, batchSize, fieldSelector);
      } finally {
        QUERY.set(outer);
        String command = COMMAND.get();
        scans.record(
            getCollectionName(),
            command == null ? "internal" : command,
            current.byIndex,
            current.documentsExamined);
      }
    }

    /** The scan path. */
    @Override
    protected QueryResult matchDocuments(
        Document query,
        Document orderBy,
        int numberToSkip,
        int numberToReturn,
        int batchSize,
        Document fieldSelector) {
      mark(false);
      return super.matchDocuments(
          query, orderBy, numberToSkip, numberToReturn, batchSize, fieldSelector);
    }

    /** The index path: the positions an index found for the filter. */
    @Override
    protected QueryResult matchDocuments(
        Document query,
        Iterable<Object> positions,
        Document orderBy,
        int numberToSkip,
        int limit,
        int batchSize,
        Document fieldSelector) {
      mark(true);
      return super.matchDocuments(
          query, positions, orderBy, numberToSkip, limit, batchSize, fieldSelector);
    }

    /** Both paths end here; the stream is consumed before this returns. */
    @Override
    protected QueryResult matchDocumentsFromStream(
        Stream<Document> documentStream,
        Document query,
        Document orderBy,
        int numberToSkip,
        int limit,
        int batchSize,
        Document fieldSelector) {
      Query current = QUERY.get();
      Stream<Document> counted =
          current == null ? documentStream : documentStream.peek(d -> current.documentsExamined++);
      return super.matchDocumentsFromStream(
          counted, query, orderBy, numberToSkip, limit, batchSize, fieldSelector);
    }

    private void mark(boolean byIndex) {
      Query current = QUERY.get();
      if (current != null) {
        current.byIndex = byIndex;
      }
    }
  }
}
