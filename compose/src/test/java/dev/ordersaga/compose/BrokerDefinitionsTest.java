package dev.ordersaga.compose;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.ordersaga.messaging.rabbit.BrokerUsers;
import dev.ordersaga.messaging.rabbit.Topology;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The compose stack's broker definitions ({@code rabbitmq/definitions.json}) are what {@link
 * BrokerUsers} grants, and every service of {@code docker-compose.yml} signs in as its own user
 * with the password {@code rabbitmq/rabbitmq-order-saga} gives it. Run with {@code
 * -Dbroker.definitions.write=true} to write the file after changing the grants or the topology.
 */
class BrokerDefinitionsTest {

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  private static final Path DEFINITIONS = Path.of("rabbitmq/definitions.json");

  @Test
  void theComposeDefinitionsAreTheGrantsOfBrokerUsers() throws IOException {
    Topology topology = Topology.orderSaga("", Topology.DEFAULT_MAX_DELIVERIES);
    Map<String, Object> expected =
        BrokerUsers.definitions(BrokerUsers.orderSaga(topology, ""), Map.of(), "/", topology);
    if (Boolean.getBoolean("broker.definitions.write")) {
      Files.writeString(DEFINITIONS, JSON.writeValueAsString(expected) + "\n");
    }

    JsonNode committed = JSON.readTree(DEFINITIONS.toFile());

    assertThat(committed)
        .as(
            "rabbitmq/definitions.json is out of date: run this test with"
                + " -Dbroker.definitions.write=true")
        .isEqualTo(JSON.valueToTree(expected));
  }

  @Test
  void everyServiceSignsInAsItsOwnUserWithThePasswordTheBrokerGivesIt() throws IOException {
    String init = Files.readString(Path.of("rabbitmq/rabbitmq-order-saga"));
    for (String file : new String[] {"docker-compose.yml", "docker-compose.prod.yml"}) {
      String compose = Files.readString(Path.of(file));
      assertThat(compose).as(file).doesNotContain("guest");
      for (String service : BrokerUsers.services()) {
        String variable = service.toUpperCase().replace('-', '_') + "_RABBITMQ_PASSWORD";
        assertThat(compose)
            .as("%s gives %s its own broker user", file, service)
            .contains("RABBITMQ_URI: amqp://" + service + ":${" + variable);
      }
    }
    for (String service : BrokerUsers.services()) {
      String variable = service.toUpperCase().replace('-', '_') + "_RABBITMQ_PASSWORD";
      assertThat(init)
          .as("rabbitmq/rabbitmq-order-saga sets %s's password", service)
          .contains("set_password " + service + " \"$" + variable + "\"");
    }
  }
}
