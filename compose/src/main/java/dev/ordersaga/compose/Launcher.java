package dev.ordersaga.compose;

import com.rabbitmq.client.ConnectionFactory;
import dev.ordersaga.messaging.Uris;
import dev.ordersaga.messaging.rabbit.RabbitConnections;
import dev.ordersaga.messaging.store.Store;
import dev.ordersaga.notifier.NotifierApplication;
import dev.ordersaga.order.OrderServiceApplication;
import dev.ordersaga.payment.PaymentServiceApplication;
import dev.ordersaga.saga.SagaEngineApplication;
import dev.ordersaga.shipping.ShippingServiceApplication;
import java.net.URI;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Runs all five applications in one JVM against the local RabbitMQ and a store each: MongoDB when
 * {@code MONGODB_URI} is set, else the embedded server with its files under {@code data/} (or
 * {@code ORDER_SAGA_DATA_DIR}). For a laptop; the full stack is {@code compose/docker-compose.yml}.
 */
public final class Launcher implements AutoCloseable {

  /** One application of the system and the port it takes by default. */
  public record App(String name, int defaultPort, Supplier<SpringApplicationBuilder> builder) {}

  public static final List<App> APPS =
      List.of(
          new App(SagaEngineApplication.NAME, 8080, SagaEngineApplication::application),
          new App(OrderServiceApplication.NAME, 8081, OrderServiceApplication::application),
          new App(PaymentServiceApplication.NAME, 8082, PaymentServiceApplication::application),
          new App(ShippingServiceApplication.NAME, 8083, ShippingServiceApplication::application),
          new App(NotifierApplication.NAME, 8084, NotifierApplication::application));

  private final List<ConfigurableApplicationContext> contexts = new ArrayList<>();

  private Launcher() {}

  /**
   * Starts every app, in order, with the given settings on top of their own (for example {@code
   * server.port=0}); stops those already started if one fails.
   */
  public static Launcher start(Map<String, String> settings) {
    Launcher launcher = new Launcher();
    try {
      for (App app : APPS) {
        List<String> args = new ArrayList<>();
        if (!settings.containsKey("server.port")) {
          args.add("--server.port=" + app.defaultPort());
        }
        settings.forEach((key, value) -> args.add("--" + key + "=" + value));
        launcher.contexts.add(app.builder().get().run(args.toArray(String[]::new)));
      }
    } catch (RuntimeException e) {
      launcher.close();
      throw e;
    }
    return launcher;
  }

  /** The HTTP port each app listens on, by app name. */
  public Map<String, Integer> ports() {
    Map<String, Integer> ports = new LinkedHashMap<>();
    for (ConfigurableApplicationContext context : contexts) {
      ports.put(
          context.getEnvironment().getProperty("spring.application.name"),
          ((WebServerApplicationContext) context).getWebServer().getPort());
    }
    return ports;
  }

  @Override
  public void close() {
    List<ConfigurableApplicationContext> reversed = new ArrayList<>(contexts);
    Collections.reverse(reversed);
    reversed.forEach(ConfigurableApplicationContext::close);
    contexts.clear();
  }

  public static void main(String[] args) {
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
    String dataDirectory = System.getenv().getOrDefault("ORDER_SAGA_DATA_DIR", "data");
    Launcher launcher = start(Map.of("messaging.store.data-directory", dataDirectory));
    Runtime.getRuntime().addShutdownHook(new Thread(launcher::close, "launcher-shutdown"));
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
            "  RabbitMQ          %s%n  Store             %s%nStop with Ctrl-C.%n",
            Uris.withoutCredentials(rabbit),
            Store.uriFromEnvironment() != null
                ? "MONGODB_URI"
                : "embedded, files under " + dataDirectory + "/"));
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
