package dev.ordersaga.compose;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.rabbitmq.client.Connection;
import dev.ordersaga.messaging.rabbit.BrokerUsers;
import dev.ordersaga.messaging.rabbit.RabbitConnections;
import dev.ordersaga.messaging.rabbit.Rabbitmqctl;
import dev.ordersaga.messaging.rabbit.Topology;
import dev.ordersaga.messaging.testing.TestStores;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * System test: all five apps, each signed in to the real broker as its own user ({@link
 * LocalBrokerUsers}, as the launcher sets them up), complete a paid order and an undeliverable one
 * (refund, rejection, notice). Needs rabbitmqctl, as messaging's {@code BrokerUsersIT}.
 */
class BrokerUsersSystemIT {

  @Test
  void theSystemCompletesOrdersWithOneBrokerUserPerService() throws Exception {
    String namespace = "t-" + UUID.randomUUID().toString().substring(0, 8) + ".";
    Topology topology = Topology.orderSaga(namespace, Topology.DEFAULT_MAX_DELIVERIES);
    Map<String, String> users;
    try {
      users = LocalBrokerUsers.create(RabbitConnections.uriFromEnvironment(), topology, namespace);
    } catch (Rabbitmqctl.RabbitmqctlException e) {
      if (System.getenv("ORDER_SAGA_REQUIRE_RABBITMQCTL") != null) {
        throw new AssertionError("rabbitmqctl is required here: " + e.getMessage(), e);
      }
      Assumptions.abort("rabbitmqctl cannot be run here: " + e.getMessage());
      return;
    }
    Map<String, String> settings = new HashMap<>(users);
    settings.put("server.port", "0");
    settings.put("messaging.rabbit.namespace", namespace);
    settings.put("messaging.store.embedded", "MEMORY");
    String storeUri = TestStores.uri();
    if (storeUri != null) {
      settings.put("messaging.store.uri", storeUri);
    }
    settings.putAll(Launcher.shopperAccount(0, "jiwoo", "jiwoo-password"));
    List<String> userNames = new ArrayList<>();
    BrokerUsers.services().forEach(service -> userNames.add(namespace + service));

    try (LocalMailServer mail = new LocalMailServer(0)) {
      settings.put("spring.mail.host", "127.0.0.1");
      settings.put("spring.mail.port", Integer.toString(mail.port()));
      try (Launcher launcher = Launcher.start(settings)) {
        assertThat(Rabbitmqctl.run("list_connections", "user"))
            .as("every app signs in as its own user")
            .contains(userNames);
        ShopperClient shopper =
            new ShopperClient(launcher.ports().get("order-service"), "jiwoo", "jiwoo-password");

        String paid =
            shopper.place(ShopperClient.order("c-1", "en", "KR", "pm_card_visa"), "users-1");
        String undeliverable =
            shopper.place(ShopperClient.order("c-2", "en", "AQ", "pm_card_visa"), "users-2");

        JsonNode approved = shopper.awaitFinal(paid, Duration.ofSeconds(60));
        JsonNode rejected = shopper.awaitFinal(undeliverable, Duration.ofSeconds(60));
        assertThat(approved.path("status").asText()).isEqualTo("APPROVED");
        assertThat(rejected.path("status").asText()).isEqualTo("REJECTED");
      }
    } finally {
      try (Connection connection =
          RabbitConnections.connect(RabbitConnections.uriFromEnvironment(), "cleanup", topology)) {
        topology.delete(connection);
      }
      Rabbitmqctl.deleteUsers(userNames);
    }
  }
}
