package dev.ordersaga.messaging.testing;

import dev.ordersaga.messaging.store.Store;
import java.nio.file.Path;
import java.util.UUID;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.MongoDBContainer;

/**
 * Stores for tests, chosen as DESIGN.md orders it: {@code MONGODB_URI} when set; else a
 * Testcontainers MongoDB when Docker runs (one container per test JVM); else the embedded server in
 * memory (H2 in memory, the engine of the laptop launcher's file store). Each call gets a database
 * of its own.
 *
 * <p>A test that checks the hot-path rule with {@link Store#scans()} needs the embedded server
 * wherever it runs: {@link #openEmbedded()}, or {@link TestInfrastructure.WithEmbeddedStore} for a
 * Spring Boot test.
 */
public final class TestStores {

  private static MongoDBContainer container;

  private TestStores() {}

  /** The MongoDB URI tests should use, or {@code null} for the embedded in-memory server. */
  public static synchronized String uri() {
    String fromEnvironment = Store.uriFromEnvironment();
    if (fromEnvironment != null) {
      return fromEnvironment;
    }
    if (container == null && dockerAvailable()) {
      container = new MongoDBContainer("mongo:7.0");
      container.start();
    }
    return container == null ? null : container.getConnectionString();
  }

  /** A store with a fresh database; close it after the test. */
  public static Store open() {
    return Store.open(uri(), uniqueDatabase(), Store.Embedded.MEMORY, Path.of("unused"));
  }

  /**
   * The embedded server in memory with a fresh database, even where {@code MONGODB_URI} or Docker
   * would give a MongoDB: for tests that check {@link Store#scans()}. Close it after the test.
   */
  public static Store openEmbedded() {
    return Store.open(null, uniqueDatabase(), Store.Embedded.MEMORY, Path.of("unused"));
  }

  /** Points a Spring Boot test's {@code messaging.store.*} at a test store. */
  public static void register(DynamicPropertyRegistry registry) {
    String uri = uri();
    if (uri != null) {
      registry.add("messaging.store.uri", () -> uri);
    }
    registry.add("messaging.store.embedded", () -> "MEMORY");
    registry.add("messaging.store.database", TestStores::uniqueDatabase);
  }

  private static String uniqueDatabase() {
    return "test_" + UUID.randomUUID().toString().substring(0, 8);
  }

  private static boolean dockerAvailable() {
    try {
      return DockerClientFactory.instance().isDockerAvailable();
    } catch (RuntimeException e) {
      return false;
    }
  }
}
