package dev.ordersaga.messaging.rabbit;

import dev.ordersaga.messaging.contracts.notification.NotificationChannels;
import dev.ordersaga.messaging.contracts.order.OrderChannels;
import dev.ordersaga.messaging.contracts.payment.PaymentChannels;
import dev.ordersaga.messaging.contracts.shipping.ShippingChannels;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * One RabbitMQ user per service, each allowed only its own job (RabbitMQ's configure / write / read
 * regular expressions on exchange and queue names, and topic permissions on routing keys):
 *
 * <ul>
 *   <li><b>saga-engine</b> declares the whole topology (configure), sends commands (write on the
 *       commands exchange), consumes its events queue, and for operators reads the parking queues
 *       and re-drives parked messages to their queue (write on {@code amq.default}, the default
 *       exchange). The only user that can send a command.
 *   <li><b>a participant</b> ({@code order-service}, {@code payment-service}, {@code
 *       shipping-service}, {@code notifier}) consumes only its own commands queue; publishes only
 *       to the events exchange, and there only routing keys of its own wire types ({@code
 *       payment\.} for payment-service, {@code notification\.} for the notifier): it cannot send a
 *       command, nor a reply in another participant's name; and parks its failures, only into its
 *       own queue's parking queue (the parking exchange, routing key its queue's name), so it
 *       cannot slip a message into another's parking queue for an operator to re-drive. It declares
 *       nothing: it checks that the topology is there ({@link Topology#declare}), which saga-engine
 *       or the broker's definitions declared.
 * </ul>
 *
 * Names carry the topology's namespace, so tests grant users on names of their own. {@link
 * #definitions} writes users, permissions (and, for a broker set up before any service runs, the
 * topology) as a RabbitMQ definitions document, for {@code rabbitmqctl import_definitions} or
 * {@code load_definitions}.
 */
public final class BrokerUsers {

  /** What one user may do, as RabbitMQ's regular expressions. */
  public record Grant(
      String user,
      String configure,
      String write,
      String read,
      Map<String, String> topicWrite,
      Map<String, String> topicRead) {

    public Grant {
      topicWrite = Map.copyOf(topicWrite);
      topicRead = Map.copyOf(topicRead);
    }
  }

  /** A service, the queue it consumes and the first part of the wire types it publishes. */
  private record Participant(String service, String queue, String wirePrefix) {}

  public static final String SAGA_ENGINE = "saga-engine";

  /** The default exchange's name in permissions: publishing to it reaches any queue by name. */
  static final String DEFAULT_EXCHANGE = "amq.default";

  private static final List<Participant> PARTICIPANTS =
      List.of(
          new Participant("order-service", OrderChannels.COMMAND_QUEUE, "order"),
          new Participant("payment-service", PaymentChannels.COMMAND_QUEUE, "payment"),
          new Participant("shipping-service", ShippingChannels.COMMAND_QUEUE, "shipping"),
          new Participant("notifier", NotificationChannels.COMMAND_QUEUE, "notification"));

  private static final SecureRandom RANDOM = new SecureRandom();

  private BrokerUsers() {}

  /** The services that get a user of their own, saga-engine first. */
  public static List<String> services() {
    List<String> services = new ArrayList<>();
    services.add(SAGA_ENGINE);
    PARTICIPANTS.forEach(p -> services.add(p.service()));
    return services;
  }

  /**
   * The grants of the order saga's services on {@code topology}'s names.
   *
   * @param userPrefix put before each service's name to make its user name ({@code ""} in
   *     production; a test's own prefix on a shared broker)
   */
  public static List<Grant> orderSaga(Topology topology, String userPrefix) {
    List<String> everything = new ArrayList<>();
    everything.add(Topology.COMMANDS_EXCHANGE);
    everything.add(Topology.EVENTS_EXCHANGE);
    everything.add(Topology.PARKED_EXCHANGE);
    everything.add(Topology.PARKING_EXCHANGE);
    for (Topology.QueueSpec queue : topology.queues()) {
      everything.add(queue.baseName());
      everything.add(queue.baseName() + Topology.PARKED_SUFFIX);
    }
    List<Grant> grants = new ArrayList<>();
    String all = names(topology, everything);
    List<String> quoted = new ArrayList<>();
    everything.forEach(name -> quoted.add(quote(topology.name(name))));
    quoted.add(quote(DEFAULT_EXCHANGE));
    String allAndDefault = "^(" + String.join("|", quoted) + ")$";
    grants.add(new Grant(userPrefix + SAGA_ENGINE, all, allAndDefault, all, Map.of(), Map.of()));
    for (Participant participant : PARTICIPANTS) {
      String events = topology.name(Topology.EVENTS_EXCHANGE);
      String parking = topology.name(Topology.PARKING_EXCHANGE);
      grants.add(
          new Grant(
              userPrefix + participant.service(),
              "^$",
              names(topology, List.of(Topology.EVENTS_EXCHANGE, Topology.PARKING_EXCHANGE)),
              names(topology, List.of(participant.queue())),
              Map.of(
                  events,
                  "^" + quote(participant.wirePrefix() + "."),
                  parking,
                  "^" + quote(topology.name(participant.queue())) + "$"),
              Map.of(events, "^$", parking, "^$")));
    }
    return grants;
  }

  /** {@code ^(a|b|c)$} over the names on the broker, each quoted. */
  private static String names(Topology topology, List<String> baseNames) {
    return baseNames.stream()
        .map(name -> quote(topology.name(name)))
        .collect(Collectors.joining("|", "^(", ")$"));
  }

  /**
   * {@code name} as a regular expression that matches only it: all but letters, digits, - and _
   * escaped.
   */
  static String quote(String name) {
    StringBuilder quoted = new StringBuilder();
    for (char c : name.toCharArray()) {
      if (!Character.isLetterOrDigit(c) && c != '-' && c != '_') {
        quoted.append('\\');
      }
      quoted.append(c);
    }
    return quoted.toString();
  }

  /** A new password: 24 random bytes, URL-safe Base64 (usable in an amqp URI as it is). */
  public static String newPassword() {
    byte[] bytes = new byte[24];
    RANDOM.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  /**
   * RabbitMQ's stored form of a password ({@code rabbit_password_hashing_sha256}): Base64 of a
   * 4-byte salt followed by SHA-256 of the salt and the password.
   */
  public static String passwordHash(String password) {
    byte[] salt = new byte[4];
    RANDOM.nextBytes(salt);
    try {
      MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
      sha256.update(salt);
      byte[] digest = sha256.digest(password.getBytes(StandardCharsets.UTF_8));
      byte[] stored = new byte[salt.length + digest.length];
      System.arraycopy(salt, 0, stored, 0, salt.length);
      System.arraycopy(digest, 0, stored, salt.length, digest.length);
      return Base64.getEncoder().encodeToString(stored);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * A RabbitMQ definitions document (as maps and lists, for a JSON writer) of these grants in
   * virtual host {@code vhost}.
   *
   * @param passwords each user's password; a user without one gets none (it cannot sign in until
   *     {@code rabbitmqctl change_password} gives it one)
   * @param topology when not {@code null}, its exchanges, queues and bindings too
   */
  public static Map<String, Object> definitions(
      List<Grant> grants, Map<String, String> passwords, String vhost, Topology topology) {
    List<Object> users = new ArrayList<>();
    List<Object> permissions = new ArrayList<>();
    List<Object> topicPermissions = new ArrayList<>();
    for (Grant grant : grants) {
      Map<String, Object> user = new LinkedHashMap<>();
      user.put("name", grant.user());
      String password = passwords.get(grant.user());
      user.put("password_hash", password == null ? "" : passwordHash(password));
      user.put("hashing_algorithm", "rabbit_password_hashing_sha256");
      user.put("tags", "");
      users.add(user);
      Map<String, Object> permission = new LinkedHashMap<>();
      permission.put("user", grant.user());
      permission.put("vhost", vhost);
      permission.put("configure", grant.configure());
      permission.put("write", grant.write());
      permission.put("read", grant.read());
      permissions.add(permission);
      for (Map.Entry<String, String> write :
          new java.util.TreeMap<>(grant.topicWrite()).entrySet()) {
        Map<String, Object> topic = new LinkedHashMap<>();
        topic.put("user", grant.user());
        topic.put("vhost", vhost);
        topic.put("exchange", write.getKey());
        topic.put("write", write.getValue());
        topic.put("read", grant.topicRead().getOrDefault(write.getKey(), "^$"));
        topicPermissions.add(topic);
      }
    }
    Map<String, Object> definitions = new LinkedHashMap<>();
    definitions.put("users", users);
    definitions.put("permissions", permissions);
    definitions.put("topic_permissions", topicPermissions);
    if (topology != null) {
      definitions.putAll(topologyDefinitions(topology, vhost));
    }
    return definitions;
  }

  private static Map<String, Object> topologyDefinitions(Topology topology, String vhost) {
    List<Object> exchanges = new ArrayList<>();
    for (String[] exchange :
        new String[][] {
          {Topology.COMMANDS_EXCHANGE, "topic"},
          {Topology.EVENTS_EXCHANGE, "topic"},
          {Topology.PARKED_EXCHANGE, "direct"},
          {Topology.PARKING_EXCHANGE, "topic"}
        }) {
      Map<String, Object> definition = new LinkedHashMap<>();
      definition.put("name", topology.name(exchange[0]));
      definition.put("vhost", vhost);
      definition.put("type", exchange[1]);
      definition.put("durable", true);
      definition.put("auto_delete", false);
      definition.put("internal", false);
      definition.put("arguments", Map.of());
      exchanges.add(definition);
    }
    List<Object> queues = new ArrayList<>();
    List<Object> bindings = new ArrayList<>();
    Map<String, Object> parkingToParked =
        binding(
            topology.name(Topology.PARKING_EXCHANGE),
            topology.name(Topology.PARKED_EXCHANGE),
            "#",
            vhost);
    parkingToParked.put("destination_type", "exchange");
    bindings.add(parkingToParked);
    for (Topology.QueueSpec queue : topology.queues()) {
      String parked = topology.parkingQueue(queue.baseName());
      queues.add(queue(parked, vhost, Map.of("x-queue-type", "quorum")));
      queues.add(
          queue(
              topology.name(queue.baseName()),
              vhost,
              new java.util.TreeMap<>(topology.queueArguments(queue))));
      bindings.add(
          binding(
              topology.name(Topology.PARKED_EXCHANGE),
              parked,
              topology.name(queue.baseName()),
              vhost));
      bindings.add(
          binding(
              topology.name(queue.exchange()),
              topology.name(queue.baseName()),
              queue.binding(),
              vhost));
    }
    Map<String, Object> definitions = new LinkedHashMap<>();
    definitions.put("exchanges", exchanges);
    definitions.put("queues", queues);
    definitions.put("bindings", bindings);
    return definitions;
  }

  private static Map<String, Object> queue(
      String name, String vhost, Map<String, Object> arguments) {
    Map<String, Object> definition = new LinkedHashMap<>();
    definition.put("name", name);
    definition.put("vhost", vhost);
    definition.put("durable", true);
    definition.put("auto_delete", false);
    definition.put("arguments", arguments);
    return definition;
  }

  private static Map<String, Object> binding(
      String exchange, String queue, String routingKey, String vhost) {
    Map<String, Object> definition = new LinkedHashMap<>();
    definition.put("source", exchange);
    definition.put("vhost", vhost);
    definition.put("destination", queue);
    definition.put("destination_type", "queue");
    definition.put("routing_key", routingKey);
    definition.put("arguments", Map.of());
    return definition;
  }
}
