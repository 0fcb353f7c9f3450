package dev.ordersaga.messaging.store;

import de.bwaldvogel.mongo.MongoServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded file store served to other processes: the same H2 file ({@code
 * <dataDirectory>/<database>.v2.mv.db}), the same write-ahead log and group commit as the store a
 * service opens for itself ({@link Store#open} with {@link Store.Embedded#FILE}), so a write is
 * answered only once it is synced to disk and survives kill -9 of this process; bound to a fixed
 * address so that service instances in other processes connect to it with a MongoDB URI ({@link
 * #uri}). For a local cluster on one machine (compose's launcher, {@code store}); production uses
 * MongoDB.
 *
 * <p>One server per database, as one store per service: a service's instances share theirs.
 */
public final class StoreServer implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(StoreServer.class);

  private final MongoServer server;
  private final String database;
  private final Path file;

  private StoreServer(MongoServer server, String database, Path file) {
    this.server = server;
    this.database = database;
    this.file = file;
  }

  /**
   * Serves {@code database}'s file store on {@code address}.
   *
   * @param threads the server's threads: each client connection is served by one, which waits for
   *     the sync of its writes, so give at least as many as all clients' connections together
   * @throws IllegalStateException when the address is taken (another store runs)
   */
  public static StoreServer serve(
      String database, Path dataDirectory, InetSocketAddress address, int threads) {
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be positive");
    }
    try {
      Files.createDirectories(dataDirectory);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create data directory " + dataDirectory, e);
    }
    Path file = dataDirectory.resolve(database + Store.FILE_SUFFIX).toAbsolutePath();
    MongoServer server = new MongoServer(EmbeddedBackend.file(file));
    try {
      server.bind(address, 1, threads);
    } catch (Exception e) { // netty throws the BindException undeclared
      server.shutdownNow();
      throw new IllegalStateException(
          "cannot serve store " + database + " on " + address + " (is another store running?)", e);
    }
    log.info(
        "store {} served on {}: H2 file {}, synced before it answers", database, address, file);
    return new StoreServer(server, database, file);
  }

  public String database() {
    return database;
  }

  public Path file() {
    return file;
  }

  public int port() {
    return server.getLocalAddress().getPort();
  }

  /**
   * A MongoDB URI of this server for a service instance: direct connection, at most {@code
   * maxPoolSize} connections (keep the sum over all instances within the server's threads).
   */
  public String uri(String host, int maxPoolSize) {
    return uri(host, port(), maxPoolSize);
  }

  /** {@link #uri(String, int)} of a server on {@code port}, before or without one running here. */
  public static String uri(String host, int port, int maxPoolSize) {
    return "mongodb://" + host + ":" + port + "/?directConnection=true&maxPoolSize=" + maxPoolSize;
  }

  /** Stops serving; commits what is pending and closes the file. */
  @Override
  public void close() {
    server.shutdownNow();
  }
}
