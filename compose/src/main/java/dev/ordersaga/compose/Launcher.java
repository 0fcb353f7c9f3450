package dev.ordersaga.compose;

import com.rabbitmq.client.ConnectionFactory;
import dev.ordersaga.messaging.Uris;
import dev.ordersaga.messaging.rabbit.RabbitConnections;
import dev.ordersaga.messaging.store.Store;
import dev.ordersaga.notifier.NotifierApplication;
import dev.ordersaga.order.OrderServiceApplication;
import dev.ordersaga.order.orders.OrderChanges;
import dev.ordersaga.payment.PaymentServiceApplication;
import dev.ordersaga.saga.SagaEngineApplication;
import dev.ordersaga.shipping.ShippingServiceApplication;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Runs all five applications in one JVM, each its own Spring context and port, against the local
 * RabbitMQ and a store each: MongoDB when {@code MONGODB_URI} is set, else the embedded server with
 * its files under {@code data/} (or {@code ORDER_SAGA_DATA_DIR}), plus an SMTP server for the
 * notifier. For a laptop; the full stack is {@code compose/docker-compose.yml}.
 *
 * <pre>
 * java -jar order-saga-launcher.jar            run the system
 * java -jar order-saga-launcher.jar --demo     run it and place a mix of demo orders
 * java -jar order-saga-launcher.jar --demo --canary   then a canary release of saga version v2
 * java -jar order-saga-launcher.jar load [--orders N] [--concurrency C] [--declined P]
 *     [--undeliverable P] [--provider-latency-ms MS] [--warmup N]
 *                                              measure: fresh store and queues, then exit
 * java -jar order-saga-launcher.jar store [--base-port P]
 *                                              a local cluster's store, SMTP and accounts
 * java -jar order-saga-launcher.jar app NAME [--port P]
 *                                              one instance of one service of that cluster
 * java -jar order-saga-launcher.jar --help     the usage (also load --help)
 * </pre>
 *
 * The command line is {@link LauncherArguments}: an unknown option is refused with the usage on
 * stderr and exit code 2, before anything starts.
 */
public final class Launcher implements AutoCloseable {

  /**
   * One application of the system, the port it takes by default, and its database (its {@code
   * messaging.store.database}).
   */
  public record App(
      String name, int defaultPort, String database, Supplier<SpringApplicationBuilder> builder) {}

  public static final List<App> APPS =
      List.of(
          new App(SagaEngineApplication.NAME, 8080, "sagas", SagaEngineApplication::application),
          new App(
              OrderServiceApplication.NAME, 8081, "orders", OrderServiceApplication::application),
          new App(
              PaymentServiceApplication.NAME,
              8082,
              "payments",
              PaymentServiceApplication::application),
          new App(
              ShippingServiceApplication.NAME,
              8083,
              "shipments",
              ShippingServiceApplication::application),
          new App(NotifierApplication.NAME, 8084, "notices", NotifierApplication::application));

  /** The app of that name. */
  public static App app(String name) {
    return APPS.stream()
        .filter(app -> app.name().equals(name))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no app " + name));
  }

  /** The shopper account a local run signs in with unless the environment configures one. */
  public static final String LOCAL_SHOPPER = "shopper";

  /** The environment variables of order-service's first shopper account, less their last word. */
  private static final String SHOPPER_VARIABLE = "ORDER_SERVICE_SECURITY_SHOPPERS_0_";

  /** Where the launcher's SMTP server listens unless spring.mail.* says otherwise. */
  public static final int DEFAULT_SMTP_PORT = 2525;

  private final Map<String, String> settings;
  private final List<ApplicationContextInitializer<ConfigurableApplicationContext>> initializers;
  private final Map<String, ConfigurableApplicationContext> contexts = new LinkedHashMap<>();

  private Launcher(
      Map<String, String> settings,
      List<ApplicationContextInitializer<ConfigurableApplicationContext>> initializers) {
    this.settings = Map.copyOf(settings);
    this.initializers = List.copyOf(initializers);
  }

  /**
   * Starts every app, in order, with the given settings on top of their own (for example {@code
   * server.port=0}); stops those already started if one fails.
   */
  public static Launcher start(Map<String, String> settings) {
    return start(settings, List.of());
  }

  /**
   * Starts every app as {@link #start(Map)} does, each context prepared by the given initializers
   * before it is refreshed (a test registers a bean in every app this way).
   */
  public static Launcher start(
      Map<String, String> settings,
      List<ApplicationContextInitializer<ConfigurableApplicationContext>> initializers) {
    Launcher launcher = new Launcher(settings, initializers);
    try {
      APPS.forEach(launcher::run);
    } catch (RuntimeException e) {
      launcher.close();
      throw e;
    }
    return launcher;
  }

  /** Stops one app, as a crash or a deployment would; {@link #restart} brings it back. */
  public void stop(String name) {
    ConfigurableApplicationContext context = contexts.remove(name);
    if (context != null) {
      context.close();
    }
  }

  /** Starts a stopped app again with the same settings (and, with a file store, its data). */
  public void restart(String name) {
    stop(name);
    run(app(name));
  }

  private void run(App app) {
    List<String> args = new ArrayList<>();
    if (!settings.containsKey("server.port")) {
      args.add("--server.port=" + app.defaultPort());
    }
    if (!settings.containsKey("logging.include-application-name")) {
      // one logback for the five apps of this JVM: its application name is whichever app set it
      // first, so every line would say saga-engine; the thread names say which app logs
      args.add("--logging.include-application-name=false");
    }
    LocalBrokerUsers.forApp(settings, app.name())
        .forEach((key, value) -> args.add("--" + key + "=" + value));
    SpringApplicationBuilder builder = app.builder().get();
    if (!initializers.isEmpty()) {
      builder.initializers(initializers.toArray(ApplicationContextInitializer[]::new));
    }
    contexts.put(app.name(), builder.run(args.toArray(String[]::new)));
  }

  /**
   * The settings of one order-service shopper account, the {@code index}-th; its customer id is its
   * user name.
   */
  public static Map<String, String> shopperAccount(int index, String username, String password) {
    String prefix = "order-service.security.shoppers[" + index + "].";
    return Map.of(prefix + "username", username, prefix + "password", password);
  }

  /** A bean of a running app, by the app's name, such as its {@code Store}. */
  public <T> T bean(String app, Class<T> type) {
    ConfigurableApplicationContext context = contexts.get(app);
    if (context == null) {
      throw new IllegalArgumentException(app + " is not running");
    }
    return context.getBean(type);
  }

  /** The HTTP port each running app listens on, by app name. */
  public Map<String, Integer> ports() {
    Map<String, Integer> ports = new LinkedHashMap<>();
    contexts.forEach(
        (name, context) ->
            ports.put(name, ((WebServerApplicationContext) context).getWebServer().getPort()));
    return ports;
  }

  @Override
  public void close() {
    List<String> names = new ArrayList<>(contexts.keySet());
    Collections.reverse(names);
    names.forEach(this::stop);
  }

  public static void main(String[] args) throws Exception {
    LauncherArguments.Launch launch;
    try {
      launch = LauncherArguments.parse(args);
    } catch (LauncherArguments.UsageException e) {
      System.err.printf("%s%n%n%s", e.getMessage(), e.usage());
      System.exit(LauncherArguments.USAGE_ERROR);
      return;
    }
    if (launch instanceof LauncherArguments.Help help) {
      System.out.print(help.usage());
      return;
    }
    String rabbit = RabbitConnections.uriFromEnvironment();
    if (!rabbitAnswers(rabbit)) {
      System.err.printf(
          """
          No RabbitMQ answers at %s.
          Start one, then run this again:
            Debian/Ubuntu: sudo apt-get install -y rabbitmq-server && sudo rabbitmq-server -detached
            macOS:         brew install rabbitmq && brew services start rabbitmq
            Docker:        docker run -d -p 5672:5672 rabbitmq:3.13
          or point RABBITMQ_URI at one.
          """,
          Uris.withoutCredentials(rabbit));
      System.exit(1);
    }
    if (launch instanceof LauncherArguments.Load measure) {
      System.exit(load(measure.plan()));
    }
    String dataDirectory = System.getenv().getOrDefault("ORDER_SAGA_DATA_DIR", "data");
    if (launch instanceof LauncherArguments.ServeStore store) {
      LocalCluster.serveStore(store.basePort(), Path.of(dataDirectory), rabbit, System.out);
      return;
    }
    if (launch instanceof LauncherArguments.RunApp app) {
      if (!LocalCluster.runApp(app.name(), app.port(), Path.of(dataDirectory), System.out)) {
        System.exit(1);
      }
      return; // the app's own threads keep it running until Ctrl-C
    }
    boolean demo = ((LauncherArguments.Run) launch).demo();
    boolean canary = ((LauncherArguments.Run) launch).canary();
    Map<String, String> settings = quiet(demo ? "WARN" : "INFO");
    if (demo) {
      settings.putAll(Demo.SETTINGS);
    }
    if (canary) {
      settings.putAll(CanaryDemo.SETTINGS);
    }
    settings.put("messaging.store.data-directory", dataDirectory);
    settings.putAll(LocalBrokerUsers.setUp(rabbit, System.out));
    LocalMailServer mail = startMailServer(settings);
    Map<String, String> credentials = localCredentials(settings);
    Launcher launcher = start(settings);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  launcher.close();
                  if (mail != null) {
                    mail.close();
                  }
                },
                "launcher-shutdown"));
    printBanner(launcher, rabbit, dataDirectory, mail, credentials);
    if (demo) {
      Demo.run(
          launcher.ports(), operatorPassword(settings), shopper(launcher, settings), System.out);
      if (canary) {
        CanaryDemo.run(
            launcher.ports(), operatorPassword(settings), shopper(launcher, settings), System.out);
      }
      System.out.println("\nThe system keeps running; stop it with Ctrl-C.");
    }
  }

  /** The launcher's own SMTP server, unless the environment names one. */
  static LocalMailServer startMailServer(Map<String, String> settings) {
    if (System.getenv("SPRING_MAIL_HOST") != null) {
      return null;
    }
    LocalMailServer mail;
    try {
      mail = new LocalMailServer(DEFAULT_SMTP_PORT);
    } catch (RuntimeException e) {
      throw new IllegalStateException(
          "cannot start the local SMTP server on port "
              + DEFAULT_SMTP_PORT
              + " (is another launcher running?); stop what holds it, or set SPRING_MAIL_HOST and"
              + " SPRING_MAIL_PORT to a mail server of yours",
          e);
    }
    settings.put("spring.mail.host", "127.0.0.1");
    settings.put("spring.mail.port", Integer.toString(mail.port()));
    return mail;
  }

  private static int load(LoadGenerator.Plan plan) throws Exception {
    Path data = Files.createTempDirectory("order-saga-load");
    String namespace = "load-" + UUID.randomUUID().toString().substring(0, 8) + ".";
    Map<String, String> settings = quiet("WARN");
    settings.put("server.port", "0");
    settings.put("messaging.rabbit.namespace", namespace);
    settings.put("messaging.store.data-directory", data.toString());
    settings.putAll(plan.latencySettings());
    String password = generatedPassword();
    for (int i = 0; i < LoadGenerator.CUSTOMERS; i++) {
      settings.putAll(shopperAccount(i, LoadGenerator.customer(i), password));
    }
    try (LocalMailServer mail = new LocalMailServer(0)) {
      settings.put("spring.mail.host", "127.0.0.1");
      settings.put("spring.mail.port", Integer.toString(mail.port()));
      try (Launcher launcher = start(settings)) {
        int port = launcher.ports().get(OrderServiceApplication.NAME);
        try (FinishedOrders finished =
            new FinishedOrders(launcher.bean(OrderServiceApplication.NAME, OrderChanges.class))) {
          if (plan.warmup() > 0) {
            System.out.printf("system up; %d warm-up orders (not measured)%n", plan.warmup());
            LoadGenerator.run(plan.warmupRun(), port, password, finished);
          }
          System.out.println("placing orders");
          LoadGenerator.Result result = LoadGenerator.run(plan, port, password, finished);
          LoadGenerator.print(plan, result, System.out);
          return result.unfinished() == 0 ? 0 : 1;
        }
      } finally {
        LoadCleanup.deleteNamespace(namespace);
      }
    }
  }

  /**
   * Framework logs at WARN, the project's own at the given level; five apps share one log, so the
   * application name (the first app's, for all) is left out of its lines.
   */
  static Map<String, String> quiet(String ownLevel) {
    Map<String, String> settings = new HashMap<>();
    settings.put("logging.level.root", "WARN");
    settings.put("logging.level.dev.ordersaga", ownLevel);
    settings.put("logging.include-application-name", "false");
    // the embedded store warns of every index it does not build; real MongoDB builds them
    settings.put("logging.level.de.bwaldvogel.mongo.backend", "ERROR");
    settings.put("logging.level.org.springframework.core.annotation", "ERROR");
    return settings;
  }

  private static String operatorPassword(Map<String, String> settings) {
    return environmentOr(
        "SAGA_SECURITY_OPERATOR_PASSWORD", settings.get("saga.security.operator.password"));
  }

  /** A client of the running order-service as the demo's shopper. */
  private static ShopperClient shopper(Launcher launcher, Map<String, String> settings) {
    return new ShopperClient(
        launcher.ports().get(OrderServiceApplication.NAME),
        shopperUsername(),
        shopperPassword(settings));
  }

  private static String shopperUsername() {
    return environmentOr(SHOPPER_VARIABLE + "USERNAME", LOCAL_SHOPPER);
  }

  private static String shopperPassword(Map<String, String> settings) {
    return environmentOr(
        SHOPPER_VARIABLE + "PASSWORD", settings.get("order-service.security.shoppers[0].password"));
  }

  /** The environment variable's value, unless it is unset or blank: then {@code fallback}. */
  private static String environmentOr(String variable, String fallback) {
    String fromEnvironment = System.getenv(variable);
    return fromEnvironment != null && !fromEnvironment.isBlank() ? fromEnvironment : fallback;
  }

  private static String generatedPassword() {
    return UUID.randomUUID().toString().replace("-", "").substring(0, 16);
  }

  /**
   * saga-engine's operator and analyst passwords and order-service's shopper account: from the
   * environment when set there, else generated for this run and printed in the banner (keyed by the
   * account as the banner names it).
   */
  static Map<String, String> localCredentials(Map<String, String> settings) {
    Map<String, String> credentials = new LinkedHashMap<>();
    for (String role : List.of("operator", "analyst")) {
      String variable = "SAGA_SECURITY_" + role.toUpperCase(Locale.ROOT) + "_PASSWORD";
      String fromEnvironment = System.getenv(variable);
      if (fromEnvironment == null || fromEnvironment.isBlank()) {
        String generated = generatedPassword();
        settings.put("saga.security." + role + ".password", generated);
        credentials.put("saga-engine " + role + " account: " + role, generated);
      }
    }
    if (System.getenv(SHOPPER_VARIABLE + "USERNAME") == null) {
      String generated = generatedPassword();
      settings.putAll(shopperAccount(0, LOCAL_SHOPPER, generated));
      credentials.put("order-service shopper account: " + LOCAL_SHOPPER, generated);
    }
    return credentials;
  }

  private static void printBanner(
      Launcher launcher,
      String rabbit,
      String dataDirectory,
      LocalMailServer mail,
      Map<String, String> credentials) {
    StringBuilder banner = new StringBuilder("\nOrder saga is running.\n");
    launcher
        .ports()
        .forEach(
            (name, port) ->
                banner.append(
                    String.format(
                        "  %-17s http://localhost:%d  (health: /actuator/health, metrics:"
                            + " /actuator/prometheus)%n",
                        name, port)));
    banner.append(
        String.format(
            "  RabbitMQ          %s%n  Store             %s%n  SMTP              %s%n"
                + "Place an order:  curl -s -u shopper:<password> -XPOST localhost:8081/orders"
                + " -H 'Content-Type: application/json' -d @compose/demo-order.json%n",
            Uris.withoutCredentials(rabbit),
            Store.uriFromEnvironment() != null
                ? "MONGODB_URI"
                : "embedded, files under " + dataDirectory + "/",
            mail == null ? "SPRING_MAIL_HOST" : "embedded, 127.0.0.1:" + mail.port()));
    credentials.forEach(
        (account, password) ->
            banner.append(String.format("%s / %s  (generated for this run)%n", account, password)));
    banner.append(
        String.format(
            "Operator console: http://localhost:%d/console/ (operator account); analyst API:"
                + " /analytics%n"
                + "Operator command line: SAGA_OPS_PASSWORD=<operator password> ops-cli/ops-cli"
                + " list --state COMPENSATION_FAILED%nStop with Ctrl-C.%n",
            launcher.ports().getOrDefault(SagaEngineApplication.NAME, 8080)));
    System.out.println(banner);
  }

  private static boolean rabbitAnswers(String uri) {
    ConnectionFactory factory = new ConnectionFactory();
    try {
      factory.setUri(URI.create(uri));
      factory.setConnectionTimeout(3000);
      factory.newConnection("launcher-check").close();
      return true;
    } catch (Exception e) {
      return false;
    }
  }
}
