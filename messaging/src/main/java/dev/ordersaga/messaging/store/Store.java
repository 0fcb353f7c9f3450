package dev.ordersaga.messaging.store;

import com.mongodb.ConnectionString;
import com.mongodb.MongoClientSettings;
import com.mongodb.ServerAddress;
import com.mongodb.WriteConcern;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoDatabase;
import de.bwaldvogel.mongo.MongoServer;
import dev.ordersaga.messaging.Uris;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A service's MongoDB store: a client and its one database. Where it comes from, in order:
 *
 * <ol>
 *   <li>a MongoDB URI ({@code MONGODB_URI}): a real MongoDB, written with write concern {@code
 *       majority} and journal unless the URI sets {@code w} or {@code journal} itself;
 *   <li>otherwise the embedded MongoDB-wire server (mongo-java-server with its H2 backend), kept in
 *       an H2 file under a data directory, or in H2 memory for tests.
 * </ol>
 *
 * <p>Acknowledged means durable: the embedded file store answers a write only after the write is
 * committed to its file and synced to disk, so it survives kill -9 of the process (a power cut too,
 * as far as the disk and H2's own recovery keep their promises; only kill -9 is tested). Concurrent
 * writers share one commit and one sync (group commit). {@link #database()} runs the hot path's
 * operations in process (see {@link InProcessStore}): the calling thread waits for the sync itself.
 * What goes over the wire is served by a server thread per connection, which waits for the sync
 * before it answers, so the client opens at most as many connections as the server has threads
 * ({@code embeddedConnections}). Reads see writes as soon as they are applied, which may be a
 * moment before they are durable, as with MongoDB's read concern {@code local}.
 *
 * <p>The embedded server has no transactions and no change streams; code must not need them. It
 * uses a unique index only for an exact match on all of its keys in a flat filter and scans
 * otherwise: {@link #scans()} says which queries did what.
 */
public final class Store implements AutoCloseable, MeterBinder {

  /**
   * The embedded file's name after the database's: {@code .v2} since keys and documents are stored
   * in the store's own encoding (an earlier version's {@code <database>.mv.db} is not read).
   */
  public static final String FILE_SUFFIX = ".v2.mv.db";

  private static final Logger log = LoggerFactory.getLogger(Store.class);

  /** Connections to (and threads of) the embedded server, unless configured otherwise. */
  public static final int DEFAULT_EMBEDDED_CONNECTIONS = 32;

  /** How an embedded server keeps its data when no URI is given. */
  public enum Embedded {
    /** H2 file {@code <dataDirectory>/<database>.v2.mv.db}: survives a restart and kill -9. */
    FILE,
    /** H2 in memory, gone when the store closes; for tests. */
    MEMORY
  }

  /** The embedded file store's group commits so far: writes that waited, commits that ran. */
  public record CommitStats(long writes, long commits) {}

  private final MongoClient client;
  private final MongoDatabase database;
  private final MongoServer embeddedServer;
  private final EmbeddedBackend embeddedBackend;
  private final String description;

  private Store(
      MongoClient client,
      String databaseName,
      MongoServer embeddedServer,
      EmbeddedBackend embeddedBackend,
      String description) {
    this.client = client;
    MongoDatabase wire = client.getDatabase(databaseName);
    this.database =
        embeddedBackend != null && inProcess()
            ? InProcessStore.database(
                wire,
                embeddedBackend,
                new ServerAddress("127.0.0.1", embeddedServer.getLocalAddress().getPort()))
            : wire;
    this.embeddedServer = embeddedServer;
    this.embeddedBackend = embeddedBackend;
    this.description = description;
  }

  /**
   * System property that, set to {@code false}, sends every operation on an embedded store over the
   * wire (to compare; see {@link InProcessStore}).
   */
  public static final String IN_PROCESS_PROPERTY = "ordersaga.store.in-process";

  private static boolean inProcess() {
    return !"false".equalsIgnoreCase(System.getProperty(IN_PROCESS_PROPERTY));
  }

  /** {@code MONGODB_URI} from the environment, or {@code null}. */
  public static String uriFromEnvironment() {
    String uri = System.getenv("MONGODB_URI");
    return uri == null || uri.isBlank() ? null : uri;
  }

  /**
   * Opens the store, with {@value #DEFAULT_EMBEDDED_CONNECTIONS} embedded connections.
   *
   * @param uri a MongoDB URI, or {@code null} or blank for the embedded server
   * @param database the service's database, such as {@code payments}
   */
  public static Store open(String uri, String database, Embedded embedded, Path dataDirectory) {
    return open(uri, database, embedded, dataDirectory, DEFAULT_EMBEDDED_CONNECTIONS);
  }

  /**
   * Opens the store.
   *
   * @param uri a MongoDB URI, or {@code null} or blank for the embedded server
   * @param database the service's database, such as {@code payments}
   * @param embeddedConnections for the embedded file store: the server's threads and the client's
   *     most connections; as many writers as this can share one sync
   */
  public static Store open(
      String uri, String database, Embedded embedded, Path dataDirectory, int embeddedConnections) {
    if (uri != null && !uri.isBlank()) {
      ConnectionString connectionString = new ConnectionString(uri);
      MongoClient client =
          MongoClients.create(
              MongoClientSettings.builder()
                  .applyConnectionString(connectionString)
                  .writeConcern(writeConcern(connectionString))
                  .applyToClusterSettings(b -> b.serverSelectionTimeout(10, TimeUnit.SECONDS))
                  .build());
      return new Store(client, database, null, null, "MongoDB at " + Uris.withoutCredentials(uri));
    }
    EmbeddedBackend backend;
    String description;
    MongoServer server;
    InetSocketAddress loopback = new InetSocketAddress("127.0.0.1", 0);
    String clientOptions = "directConnection=true";
    if (embedded == Embedded.FILE) {
      if (embeddedConnections < 1) {
        throw new IllegalArgumentException("embeddedConnections must be positive");
      }
      try {
        Files.createDirectories(dataDirectory);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot create data directory " + dataDirectory, e);
      }
      Path file = dataDirectory.resolve(database + FILE_SUFFIX).toAbsolutePath();
      Path older = dataDirectory.resolve(database + ".mv.db");
      if (Files.exists(older)) {
        log.warn(
            "{} was written by an earlier version in another format and is not read; {} is used"
                + " instead (remove the old file when you no longer need it)",
            older,
            file);
      }
      backend = EmbeddedBackend.file(file);
      description =
          "embedded MongoDB-wire server, H2 file " + file + ", synced before it answers a write";
      server = new MongoServer(backend);
      server.bind(loopback, 1, embeddedConnections);
      clientOptions += "&maxPoolSize=" + embeddedConnections;
    } else {
      backend = EmbeddedBackend.inMemoryStore();
      description = "embedded MongoDB-wire server, H2 in memory";
      server = new MongoServer(backend);
      server.bind(loopback, 1, 0);
    }
    MongoClient client =
        MongoClients.create(
            "mongodb://127.0.0.1:" + server.getLocalAddress().getPort() + "/?" + clientOptions);
    log.info("store {}: {}", database, description);
    return new Store(client, database, server, backend, description);
  }

  /**
   * The write concern for a real MongoDB: what the URI says, with {@code w=majority} and {@code
   * journal=true} where it says nothing (no journal with {@code w=0}, which MongoDB refuses).
   */
  static WriteConcern writeConcern(ConnectionString uri) {
    WriteConcern concern =
        uri.getWriteConcern() == null ? WriteConcern.ACKNOWLEDGED : uri.getWriteConcern();
    if (concern.getWObject() == null) {
      concern = concern.withW("majority");
    }
    if (concern.getJournal() == null && !Integer.valueOf(0).equals(concern.getWObject())) {
      concern = concern.withJournal(true);
    }
    return concern;
  }

  public MongoClient client() {
    return client;
  }

  public MongoDatabase database() {
    return database;
  }

  public String description() {
    return description;
  }

  public boolean isEmbedded() {
    return embeddedServer != null;
  }

  /**
   * How the embedded server served queries: by a unique index or by a scan, per collection and
   * command (see {@link StoreScans}).
   *
   * @throws IllegalStateException for a real MongoDB, whose query plans this store does not see
   *     (tests that check scans use the embedded store, see {@code TestStores.openEmbedded()})
   */
  public StoreScans scans() {
    if (embeddedBackend == null) {
      throw new IllegalStateException(
          "scans are recorded by the embedded store only; this store is " + description);
    }
    return embeddedBackend.scans();
  }

  /** The embedded file store's group commits so far; zero in memory and for a real MongoDB. */
  public CommitStats commitStats() {
    if (embeddedBackend == null) {
      return new CommitStats(0, 0);
    }
    GroupCommit.Stats stats = embeddedBackend.commitStats();
    return new CommitStats(stats.writes(), stats.commits());
  }

  /**
   * Registers the embedded store's meters (Spring Boot does this for the store bean): {@code
   * store.scans{collection,command}}, and for a file store {@code store.commits} and {@code
   * store.commit.writes} (their ratio is the writes a sync serves).
   */
  @Override
  public void bindTo(MeterRegistry registry) {
    if (embeddedBackend == null) {
      return;
    }
    embeddedBackend.scans().bindTo(registry);
    if (embeddedBackend.isInMemory()) {
      return;
    }
    FunctionCounter.builder("store.commits", this, store -> store.commitStats().commits())
        .description("Commits of the embedded file store, each synced to disk")
        .register(registry);
    FunctionCounter.builder("store.commit.writes", this, store -> store.commitStats().writes())
        .description("Writes the embedded file store answered after their commit was synced")
        .register(registry);
  }

  @Override
  public void close() {
    client.close();
    if (embeddedServer != null) {
      // closes the backend too: it commits what is pending and closes the file
      embeddedServer.shutdownNow();
    }
  }
}
