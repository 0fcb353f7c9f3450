package dev.ordersaga.messaging.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ordersaga.messaging.Envelope;
import dev.ordersaga.messaging.contracts.order.ApproveOrder;
import dev.ordersaga.messaging.contracts.order.OrderChannels;
import dev.ordersaga.messaging.rabbit.ConfirmingPublisher;
import dev.ordersaga.messaging.rabbit.Topology;
import dev.ordersaga.messaging.testing.TestInfrastructure;
import dev.ordersaga.messaging.testing.TestMessages;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.context.annotation.Bean;
import org.springframework.test.context.ContextConfiguration;

/** A Spring Boot app that only adds a queue listener gets the whole messaging stack. */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = "spring.application.name=messaging-test")
@ContextConfiguration(initializers = TestInfrastructure.class)
@AutoConfigureObservability
class MessagingAutoConfigurationIT {

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
  @Autowired TestRestTemplate http;

  @Test
  void listenerReceivesWhatIsPublishedAndHealthAndMetricsAreExposed() {
    Envelope<ApproveOrder> command = TestMessages.approveOrder();

    publisher.publish(command);

    await().untilAsserted(() -> assertThat(app.received).containsExactly(command));
    assertThat(topology.namespace()).startsWith("t-");
    String health = http.getForObject("/actuator/health", String.class);
    assertThat(health).contains("\"status\":\"UP\"").contains("rabbit").contains("store");
    String metrics = http.getForObject("/actuator/prometheus", String.class);
    assertThat(metrics)
        .contains("messaging_confirmed_total{application=\"messaging-test\"")
        .contains("messaging_consumed_total{application=\"messaging-test\"");
  }
}
