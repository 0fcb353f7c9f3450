package dev.ordersaga.messaging.store;

import com.mongodb.ConnectionString;
import com.mongodb.MongoClientSettings;
import com.mongodb.WriteConcern;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoDatabase;
import de.bwaldvogel.mongo.MongoBackend;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import dev.ordersaga.messaging.Uris;
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
 *   <li>otherwise the embedded MongoDB-wire server (mongo-java-server), kept in an H2 file under a
 *       data directory, or in memory for tests.
 * </ol>
 *
 * The embedded server has no transactions and no change streams; code must not need them.
 */
public final class Store implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(Store.class);

  /** How an embedded server keeps its data when no URI is given. */
  public enum Embedded {
    /** H2 file {@code <dataDirectory>/<database>.mv.db}: survives a restart. */
    FILE,
    /** Gone when the store closes; for tests. */
    MEMORY
  }

  private final MongoClient client;
  private final MongoDatabase database;
  private final MongoServer embeddedServer;
  private final String description;

  private Store(
      MongoClient client, String databaseName, MongoServer embeddedServer, String description) {
    this.client = client;
    this.database = client.getDatabase(databaseName);
    this.embeddedServer = embeddedServer;
    this.description = description;
  }

  /** {@code MONGODB_URI} from the environment, or {@code null}. */
  public static String uriFromEnvironment() {
    String uri = System.getenv("MONGODB_URI");
    return uri == null || uri.isBlank() ? null : uri;
  }

  /**
   * Opens the store.
   *
   * @param uri a MongoDB URI, or {@code null} or blank for the embedded server
   * @param database the service's database, such as {@code payments}
   */
  public static Store open(String uri, String database, Embedded embedded, Path dataDirectory) {
    if (uri != null && !uri.isBlank()) {
      ConnectionString connectionString = new ConnectionString(uri);
      MongoClient client =
          MongoClients.create(
              MongoClientSettings.builder()
                  .applyConnectionString(connectionString)
                  .writeConcern(writeConcern(connectionString))
                  .applyToClusterSettings(b -> b.serverSelectionTimeout(10, TimeUnit.SECONDS))
                  .build());
      return new Store(client, database, null, "MongoDB at " + Uris.withoutCredentials(uri));
    }
    MongoBackend backend;
    String description;
    if (embedded == Embedded.FILE) {
      try {
        Files.createDirectories(dataDirectory);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot create data directory " + dataDirectory, e);
      }
      Path file = dataDirectory.resolve(database + ".mv.db").toAbsolutePath();
      backend = new H2Backend(file.toString());
      description = "embedded MongoDB-wire server, H2 file " + file;
    } else {
      backend = new MemoryBackend();
      description = "embedded MongoDB-wire server, in memory";
    }
    MongoServer server = new MongoServer(backend);
    InetSocketAddress address = server.bind();
    MongoClient client =
        MongoClients.create("mongodb://127.0.0.1:" + address.getPort() + "/?directConnection=true");
    log.info("store {}: {}", database, description);
    return new Store(client, database, server, description);
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

  @Override
  public void close() {
    client.close();
    if (embeddedServer != null) {
      embeddedServer.shutdownNow();
    }
  }
}
