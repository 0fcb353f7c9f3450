package dev.ordersaga.messaging.rabbit;

import com.rabbitmq.client.Address;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.Recoverable;
import com.rabbitmq.client.RecoveryListener;
import com.rabbitmq.client.impl.recovery.RecordedBinding;
import com.rabbitmq.client.impl.recovery.RecordedConsumer;
import com.rabbitmq.client.impl.recovery.RecordedExchange;
import com.rabbitmq.client.impl.recovery.RecordedQueue;
import com.rabbitmq.client.impl.recovery.TopologyRecoveryFilter;
import dev.ordersaga.messaging.Uris;
import java.io.IOException;
import java.net.URI;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Opens recovering connections to RabbitMQ. */
public final class RabbitConnections {

  /** Used when neither configuration nor {@code RABBITMQ_URI} names a broker. */
  public static final String DEFAULT_URI = "amqp://guest:guest@127.0.0.1:5672";

  private static final Logger log = LoggerFactory.getLogger(RabbitConnections.class);

  private RabbitConnections() {}

  /** {@code RABBITMQ_URI} from the environment, else the local default. */
  public static String uriFromEnvironment() {
    String uri = System.getenv("RABBITMQ_URI");
    return uri == null || uri.isBlank() ? DEFAULT_URI : uri;
  }

  /**
   * The nodes a URI names: one, or several for a cluster, as {@code
   * amqp://user:password@node1:5672,node2:5672,node3:5672/vhost} (the user, password, virtual host
   * and scheme are the same for all).
   *
   * @return the URI with the first node only (for the credentials, virtual host and TLS), and every
   *     node
   */
  static Nodes nodes(String uri) {
    java.util.regex.Matcher parts =
        java.util.regex.Pattern.compile("^([a-z]+://(?:[^@/]*@)?)([^/?]*)(.*)$").matcher(uri);
    if (!parts.matches() || !parts.group(2).contains(",")) {
      return new Nodes(uri, null);
    }
    String[] hosts = parts.group(2).split(",");
    return new Nodes(
        parts.group(1) + hosts[0] + parts.group(3), Address.parseAddresses(parts.group(2)));
  }

  /** A URI's first node and, for several, all of them. */
  record Nodes(String firstNodeUri, Address[] all) {}

  /**
   * Connects with automatic recovery: after a lost connection the client reconnects (to any node of
   * a cluster the URI names, see {@link #nodes}), recovers its channels and consumers, and the
   * topology is declared again before work resumes.
   *
   * @param name shown in the broker's connection list, such as {@code payment-service}
   */
  public static Connection connect(String uri, String name, Topology topology) {
    ConnectionFactory factory = new ConnectionFactory();
    Nodes nodes;
    try {
      nodes = nodes(uri);
      factory.setUri(URI.create(nodes.firstNodeUri()));
    } catch (Exception e) {
      throw new IllegalArgumentException(
          "RabbitMQ URI is not valid: " + Uris.withoutCredentials(uri), e);
    }
    factory.setAutomaticRecoveryEnabled(true);
    // The client recovers consumers; exchanges, queues and bindings are declared again by the
    // listener below from the one topology definition, before the consumers come back.
    factory.setTopologyRecoveryEnabled(true);
    factory.setTopologyRecoveryFilter(
        new TopologyRecoveryFilter() {
          @Override
          public boolean filterExchange(RecordedExchange exchange) {
            return false;
          }

          @Override
          public boolean filterQueue(RecordedQueue queue) {
            return false;
          }

          @Override
          public boolean filterBinding(RecordedBinding binding) {
            return false;
          }

          @Override
          public boolean filterConsumer(RecordedConsumer consumer) {
            return true;
          }
        });
    factory.setNetworkRecoveryInterval(1000);
    factory.setRequestedHeartbeat(10);
    factory.setConnectionTimeout(5000);
    Connection connection;
    try {
      connection =
          nodes.all() == null
              ? factory.newConnection(name)
              : factory.newConnection(java.util.Arrays.asList(nodes.all()), name);
    } catch (IOException | TimeoutException e) {
      throw new IllegalStateException(
          "cannot reach RabbitMQ at "
              + Uris.withoutCredentials(uri)
              + ": start one (Debian: apt-get install rabbitmq-server; rabbitmq-server -detached)"
              + " or set RABBITMQ_URI",
          e);
    }
    topology.declare(connection);
    ((Recoverable) connection)
        .addRecoveryListener(
            new RecoveryListener() {
              @Override
              public void handleTopologyRecoveryStarted(Recoverable recoverable) {
                log.info("RabbitMQ connection {} is back; declaring the topology again", name);
                topology.declare(connection);
              }

              @Override
              public void handleRecovery(Recoverable recoverable) {
                log.info("RabbitMQ connection {} recovered", name);
              }

              @Override
              public void handleRecoveryStarted(Recoverable recoverable) {
                log.warn("RabbitMQ connection {} lost; recovering", name);
              }
            });
    return connection;
  }
}
