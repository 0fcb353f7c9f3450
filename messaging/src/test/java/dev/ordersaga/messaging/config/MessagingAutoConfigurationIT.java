package dev.ordersaga.messaging.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ordersaga.messaging.Envelope;
import dev.ordersaga.messaging.contracts.order.ApproveOrder;
import dev.ordersaga.messaging.contracts.order.OrderChannels;
import dev.ordersaga.messaging.rabbit.ConfirmingPublisher;
import dev.ordersaga.messaging.rabbit.Topology;
import dev.ordersaga.messaging.testing.TestMessages;
import dev.ordersaga.messaging.testing.TestStores;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.context.annotation.Bean;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** A Spring Boot app that only adds a queue listener gets the whole messaging stack. */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = "spring.application.name=messaging-test")
@AutoConfigureObservability
class MessagingAutoConfigurationIT {

  private static final String NAMESPACE = "t-" + UUID.randomUUID().toString().substring(0, 8) + ".";

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry registry) {
    registry.add("messaging.rabbit.namespace", () -> NAMESPACE);
    TestStores.register(registry);
  }

  @SpringBootApplication
  static class App {
    final List<Envelope<?>> received = new CopyOnWriteArrayList<>();

    @Bean
    QueueListener orderCommands() {
      return new QueueListener(OrderChannels.COMMAND_QUEUE, received::add);
    }
  }

  @Autowired App app;
  @Autowired ConfirmingPublisher publisher;
  @Autowired Topology topology;
  @Autowired com.rabbitmq.client.Connection connection;
  @Autowired TestRestTemplate http;

  static Topology declared;
  static com.rabbitmq.client.Connection openConnection;

  @Test
  void listenerReceivesWhatIsPublishedAndHealthAndMetricsAreExposed() {
    declared = topology;
    openConnection = connection;
    Envelope<ApproveOrder> command = TestMessages.approveOrder();

    publisher.publish(command);

    await().untilAsserted(() -> assertThat(app.received).containsExactly(command));
    assertThat(topology.namespace()).isEqualTo(NAMESPACE);
    String health = http.getForObject("/actuator/health", String.class);
    assertThat(health).contains("\"status\":\"UP\"").contains("rabbit").contains("store");
    String metrics = http.getForObject("/actuator/prometheus", String.class);
    assertThat(metrics)
        .contains("messaging_confirmed_total{application=\"messaging-test\"")
        .contains("messaging_consumed_total{application=\"messaging-test\"");
  }

  @AfterAll
  static void deleteTopology() throws Exception {
    if (declared != null && openConnection.isOpen()) {
      declared.delete(openConnection);
    }
  }
}
