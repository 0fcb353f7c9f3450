package dev.ordersaga.compose;

import dev.ordersaga.messaging.Uris;
import dev.ordersaga.messaging.store.Store;
import dev.ordersaga.messaging.store.StoreServer;
import java.io.IOException;
import java.io.PrintStream;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A local cluster on one machine: the launcher's {@code store} runs the shared parts in one process
 * (each service's embedded store served on its own port by {@link StoreServer}, durable as the
 * one-JVM launcher's; the SMTP server; the broker users and the accounts), and each {@code app
 * NAME} process runs one instance of one service against them and the broker. The {@code store}
 * process hands the apps their settings through {@code <data>/}{@value #SETTINGS_FILE} (the stores'
 * URIs, the mail server, each service's broker URI, the accounts' passwords; readable by its owner
 * only). With {@code MONGODB_URI} set an app uses that instead of the served store.
 */
final class LocalCluster {

  /** The first service's store port; the others follow in {@link Launcher#APPS} order. */
  static final int DEFAULT_BASE_PORT = 27020;

  /** Where {@code store} leaves the apps' settings, in the data directory. */
  static final String SETTINGS_FILE = "local-cluster.properties";

  /** Each app instance's most connections to its store. */
  static final int APP_CONNECTIONS = 16;

  /**
   * Threads of each served store: one per client connection, so that a connection waiting for its
   * write's sync holds up no other; room for four instances of a service.
   */
  static final int STORE_THREADS = 4 * APP_CONNECTIONS + 8;

  private LocalCluster() {}

  /** Serves the stores, the mail server and the settings; returns when the process is stopped. */
  static void serveStore(int basePort, Path data, String rabbit, PrintStream out)
      throws InterruptedException {
    List<StoreServer> servers = new ArrayList<>();
    Map<String, String> settings = new TreeMap<>();
    LocalMailServer mail = null;
    try {
      for (int i = 0; i < Launcher.APPS.size(); i++) {
        Launcher.App app = Launcher.APPS.get(i);
        StoreServer server =
            StoreServer.serve(
                app.database(),
                data,
                new InetSocketAddress("127.0.0.1", basePort + i),
                STORE_THREADS);
        servers.add(server);
        settings.put(app.name() + "/messaging.store.uri", server.uri("127.0.0.1", APP_CONNECTIONS));
      }
      mail = Launcher.startMailServer(settings);
      if (System.getenv("MESSAGING_WEB_CURSOR_KEY") == null) {
        // one key for every instance, so a page cursor one issued is taken by the others
        settings.put(
            "messaging.web.cursor-key", java.util.UUID.randomUUID().toString().replace("-", ""));
      }
      Map<String, String> credentials = Launcher.localCredentials(settings);
      settings.putAll(LocalBrokerUsers.setUp(rabbit, out));
      writeSettings(data.resolve(SETTINGS_FILE), settings);
      printStoreBanner(servers, mail, rabbit, data, credentials, out);
    } catch (RuntimeException e) {
      close(servers, mail);
      throw e;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    LocalMailServer mailServer = mail;
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  close(servers, mailServer);
                  stopped.countDown();
                },
                "store-shutdown"));
    stopped.await();
  }

  /**
   * Starts one instance of {@code name} with the settings the store left; returns whether it runs
   * (it says why not on {@code out} otherwise).
   */
  static boolean runApp(String name, Integer port, Path data, PrintStream out) {
    Path file = data.resolve(SETTINGS_FILE);
    if (!Files.exists(file)) {
      out.printf(
          "No local cluster store at %s: start it first (in another terminal):%n"
              + "  java -jar compose/target/order-saga-launcher.jar store%n",
          file.toAbsolutePath());
      return false;
    }
    Launcher.App app = Launcher.app(name);
    Map<String, String> settings = Launcher.quiet("INFO");
    settings.putAll(readSettings(file));
    Map<String, String> own = LocalBrokerUsers.forApp(settings, name);
    if (Store.uriFromEnvironment() != null) {
      own.remove("messaging.store.uri"); // MONGODB_URI wins
    }
    own.put("server.port", Integer.toString(port == null ? app.defaultPort() : port));
    List<String> args = new ArrayList<>();
    own.forEach((key, value) -> args.add("--" + key + "=" + value));
    ConfigurableApplicationContext context = app.builder().get().run(args.toArray(String[]::new));
    int httpPort = ((WebServerApplicationContext) context).getWebServer().getPort();
    out.printf(
        "%s is running: http://localhost:%d (pid %d; store %s)%n",
        name,
        httpPort,
        ProcessHandle.current().pid(),
        Store.uriFromEnvironment() != null
            ? "MONGODB_URI"
            : Uris.withoutCredentials(own.get("messaging.store.uri")));
    return true;
  }

  private static void printStoreBanner(
      List<StoreServer> servers,
      LocalMailServer mail,
      String rabbit,
      Path data,
      Map<String, String> credentials,
      PrintStream out) {
    StringBuilder banner = new StringBuilder("\nThe local cluster's store is running.\n");
    for (int i = 0; i < servers.size(); i++) {
      StoreServer server = servers.get(i);
      banner.append(
          String.format(
              "  %-17s mongodb://127.0.0.1:%d  (%s, file %s)%n",
              Launcher.APPS.get(i).name(), server.port(), server.database(), server.file()));
    }
    banner.append(
        String.format(
            "  SMTP              %s%n  RabbitMQ          %s%n  Settings for the apps: %s%n",
            mail == null ? "SPRING_MAIL_HOST" : "127.0.0.1:" + mail.port(),
            Uris.withoutCredentials(rabbit),
            data.resolve(SETTINGS_FILE).toAbsolutePath()));
    credentials.forEach(
        (account, password) ->
            banner.append(String.format("%s / %s  (generated for this run)%n", account, password)));
    banner.append(
        "Start instances, each in its own terminal (or with &):\n"
            + "  java -jar compose/target/order-saga-launcher.jar app saga-engine --port 8080\n"
            + "  java -jar compose/target/order-saga-launcher.jar app saga-engine --port 8090\n"
            + "  (and order-service 8081/8091, payment-service 8082/8092, shipping-service"
            + " 8083/8093, notifier 8084/8094)\n"
            + "Stop with Ctrl-C (stop the apps first).\n");
    out.println(banner);
  }

  /** Writes the settings readable by this user only, replacing the file in one move. */
  private static void writeSettings(Path file, Map<String, String> settings) {
    Properties properties = new Properties();
    properties.putAll(settings);
    try {
      Files.createDirectories(file.getParent() == null ? Path.of(".") : file.getParent());
      Path written = Files.createTempFile(file.toAbsolutePath().getParent(), SETTINGS_FILE, ".tmp");
      try {
        Files.setPosixFilePermissions(written, PosixFilePermissions.fromString("rw-------"));
      } catch (UnsupportedOperationException notPosix) {
        // the file stays as the platform makes it
      }
      try (Writer writer = Files.newBufferedWriter(written, StandardCharsets.UTF_8)) {
        properties.store(writer, "order-saga local cluster: written by the launcher's store");
      }
      Files.move(
          written, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  private static Map<String, String> readSettings(Path file) {
    Properties properties = new Properties();
    try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      properties.load(reader);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
    Map<String, String> settings = new LinkedHashMap<>();
    properties.stringPropertyNames().forEach(key -> settings.put(key, properties.getProperty(key)));
    return settings;
  }

  private static void close(List<StoreServer> servers, LocalMailServer mail) {
    if (mail != null) {
      mail.close();
    }
    servers.forEach(StoreServer::close);
  }
}
