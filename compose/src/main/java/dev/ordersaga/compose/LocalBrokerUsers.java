package dev.ordersaga.compose;

import com.rabbitmq.client.ConnectionFactory;
import dev.ordersaga.messaging.rabbit.BrokerUsers;
import dev.ordersaga.messaging.rabbit.Rabbitmqctl;
import dev.ordersaga.messaging.rabbit.Topology;
import java.io.PrintStream;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The launcher's broker users: one per service on the local RabbitMQ ({@link BrokerUsers}), made
 * with {@code rabbitmqctl} when it can be run (root on Debian), with passwords made up for the run,
 * so that each app signs in as itself and can do only its own job. Where that is not possible the
 * apps sign in as the broker URI's user (guest), as before, and the launcher says so:
 *
 * <ul>
 *   <li>{@code RABBITMQ_URI} is set: the broker and its users are the caller's;
 *   <li>the queue names have a namespace ({@code MESSAGING_RABBIT_NAMESPACE}, as tests run it): the
 *       users are for the system's own names;
 *   <li>rabbitmqctl is missing or may not be run by this user.
 * </ul>
 *
 * Per-app settings travel in the launcher's one settings map as {@code <app>/<key>} ({@link
 * #forApp}).
 */
public final class LocalBrokerUsers {

  private LocalBrokerUsers() {}

  /**
   * Makes the users when it can.
   *
   * @return each app's broker URI as a per-app setting ({@code saga-engine/messaging.rabbit.uri}),
   *     or nothing when the apps sign in as {@code rabbitUri}'s user
   */
  public static Map<String, String> setUp(String rabbitUri, PrintStream out) {
    String namespace = System.getenv().getOrDefault("MESSAGING_RABBIT_NAMESPACE", "");
    if (System.getenv("RABBITMQ_URI") != null || !namespace.isEmpty()) {
      return Map.of();
    }
    Map<String, String> settings;
    try {
      settings = create(rabbitUri, Topology.orderSaga("", Topology.DEFAULT_MAX_DELIVERIES), "");
    } catch (Rabbitmqctl.RabbitmqctlException e) {
      out.printf(
          "Broker users: every app signs in as guest (per-service users need rabbitmqctl: %s)%n",
          e.getMessage().lines().findFirst().orElse(""));
      return Map.of();
    }
    out.printf("Broker users: one per service (%s)%n", String.join(", ", BrokerUsers.services()));
    return settings;
  }

  /**
   * Makes (or gives new passwords to) the users of {@code topology}'s names, each named {@code
   * userPrefix} + its service, and waits until they can sign in.
   *
   * @return each app's broker URI as a per-app setting ({@code saga-engine/messaging.rabbit.uri})
   */
  static Map<String, String> create(String rabbitUri, Topology topology, String userPrefix)
      throws Rabbitmqctl.RabbitmqctlException {
    List<BrokerUsers.Grant> grants = BrokerUsers.orderSaga(topology, userPrefix);
    Map<String, String> passwords = new LinkedHashMap<>();
    grants.forEach(grant -> passwords.put(grant.user(), BrokerUsers.newPassword()));
    Rabbitmqctl.importDefinitions(BrokerUsers.definitions(grants, passwords, "/", null));
    URI broker = URI.create(rabbitUri);
    String host = broker.getHost() == null ? "127.0.0.1" : broker.getHost();
    int port = broker.getPort() < 0 ? 5672 : broker.getPort();
    Map<String, String> settings = new LinkedHashMap<>();
    for (String service : BrokerUsers.services()) {
      String user = userPrefix + service;
      settings.put(
          service + "/messaging.rabbit.uri",
          "amqp://" + user + ":" + passwords.get(user) + "@" + host + ":" + port);
    }
    for (String uri : settings.values()) {
      awaitSignIn(uri);
    }
    return settings;
  }

  /** The settings of one app: the shared ones, and its own ({@code <app>/<key>}) over them. */
  public static Map<String, String> forApp(Map<String, String> settings, String app) {
    Map<String, String> own = new LinkedHashMap<>();
    settings.forEach(
        (key, value) -> {
          int slash = key.indexOf('/');
          if (slash < 0) {
            own.putIfAbsent(key, value);
          } else if (key.substring(0, slash).equals(app)) {
            own.put(key.substring(slash + 1), value);
          }
        });
    return own;
  }

  /** rabbitmqctl's import is asynchronous: waits (up to 10 s) until a user can sign in. */
  private static void awaitSignIn(String uri) {
    long giveUpAt = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (true) {
      try {
        ConnectionFactory factory = new ConnectionFactory();
        factory.setUri(uri);
        factory.newConnection("launcher-broker-users").close();
        return;
      } catch (Exception e) {
        if (System.nanoTime() > giveUpAt) {
          throw new IllegalStateException(
              "the broker users made with rabbitmqctl cannot sign in", e);
        }
        try {
          Thread.sleep(100);
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException(interrupted);
        }
      }
    }
  }
}
