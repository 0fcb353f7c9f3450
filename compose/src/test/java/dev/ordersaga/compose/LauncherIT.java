package dev.ordersaga.compose;

import static org.assertj.core.api.Assertions.assertThat;

import com.rabbitmq.client.Connection;
import dev.ordersaga.messaging.rabbit.RabbitConnections;
import dev.ordersaga.messaging.rabbit.Topology;
import dev.ordersaga.messaging.testing.TestStores;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** System test: the one-JVM launcher brings up all five apps, each healthy. */
class LauncherIT {

  @Test
  void allFiveAppsStartAndReportHealthy() throws Exception {
    String namespace = "t-" + UUID.randomUUID().toString().substring(0, 8) + ".";
    Map<String, String> settings = new HashMap<>();
    settings.put("server.port", "0");
    settings.put("messaging.rabbit.namespace", namespace);
    settings.put("messaging.store.embedded", "MEMORY");
    String storeUri = TestStores.uri();
    if (storeUri != null) {
      settings.put("messaging.store.uri", storeUri);
    }
    HttpClient http = HttpClient.newHttpClient();

    try (Launcher launcher = Launcher.start(settings)) {
      assertThat(launcher.ports())
          .containsOnlyKeys(
              "saga-engine", "order-service", "payment-service", "shipping-service", "notifier");
      for (Map.Entry<String, Integer> app : launcher.ports().entrySet()) {
        HttpResponse<String> health =
            http.send(
                HttpRequest.newBuilder(
                        URI.create("http://localhost:" + app.getValue() + "/actuator/health"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(health.statusCode()).as(app.getKey()).isEqualTo(200);
        assertThat(health.body()).as(app.getKey()).contains("\"status\":\"UP\"");
      }
    } finally {
      Topology topology = Topology.orderSaga(namespace, Topology.DEFAULT_MAX_DELIVERIES);
      try (Connection connection =
          RabbitConnections.connect(RabbitConnections.uriFromEnvironment(), "cleanup", topology)) {
        topology.delete(connection);
      }
    }
  }
}
