package dev.ordersaga.messaging.testing;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.GetResponse;
import dev.ordersaga.messaging.rabbit.RabbitConnections;
import dev.ordersaga.messaging.rabbit.Topology;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeoutException;

/**
 * A real RabbitMQ for one test class: {@code RABBITMQ_URI} or the local default, with the order
 * saga topology declared under a namespace of its own, deleted afterwards.
 */
public final class TestRabbit implements AutoCloseable {

  private final String uri;
  private final Topology topology;
  private final Connection connection;

  private TestRabbit(String uri, Topology topology) {
    this.uri = uri;
    this.topology = topology;
    this.connection = RabbitConnections.connect(uri, "test-" + topology.namespace(), topology);
  }

  /** A fresh namespace such as {@code t-1a2b3c4d.} on the configured broker. */
  public static TestRabbit start(int maxDeliveries) {
    String namespace = "t-" + UUID.randomUUID().toString().substring(0, 8) + ".";
    return new TestRabbit(
        RabbitConnections.uriFromEnvironment(), Topology.orderSaga(namespace, maxDeliveries));
  }

  public String uri() {
    return uri;
  }

  public Topology topology() {
    return topology;
  }

  /** The shared connection of this test class; tests may open channels on it. */
  public Connection connection() {
    return connection;
  }

  /** Messages in a queue given by its constant (or a parking queue, by its full name). */
  public long messageCount(String brokerQueueName) {
    try (Channel channel = connection.createChannel()) {
      return channel.messageCount(brokerQueueName);
    } catch (IOException | TimeoutException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Takes (and acks) every message now in a queue, by its name on the broker. */
  public List<GetResponse> drain(String brokerQueueName) {
    List<GetResponse> messages = new ArrayList<>();
    try (Channel channel = connection.createChannel()) {
      GetResponse response;
      while ((response = channel.basicGet(brokerQueueName, true)) != null) {
        messages.add(response);
      }
    } catch (IOException | TimeoutException e) {
      throw new IllegalStateException(e);
    }
    return messages;
  }

  @Override
  public void close() throws IOException, TimeoutException {
    try {
      topology.delete(connection);
    } finally {
      connection.close();
    }
  }
}
