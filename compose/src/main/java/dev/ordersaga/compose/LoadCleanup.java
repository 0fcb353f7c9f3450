package dev.ordersaga.compose;

import com.rabbitmq.client.Connection;
import dev.ordersaga.messaging.rabbit.RabbitConnections;
import dev.ordersaga.messaging.rabbit.Topology;

/** Removes the exchanges and queues a run declared under a namespace of its own. */
final class LoadCleanup {

  private LoadCleanup() {}

  static void deleteNamespace(String namespace) throws Exception {
    Topology topology = Topology.orderSaga(namespace, Topology.DEFAULT_MAX_DELIVERIES);
    try (Connection connection =
        RabbitConnections.connect(RabbitConnections.uriFromEnvironment(), "cleanup", topology)) {
      topology.delete(connection);
    }
  }
}
