package dev.ordersaga.messaging.rabbit;

import static org.assertj.core.api.Assertions.assertThat;

import com.rabbitmq.client.Address;
import org.junit.jupiter.api.Test;

class RabbitConnectionsTest {

  @Test
  void aUriOfOneNodeIsTakenAsItIs() {
    RabbitConnections.Nodes nodes = RabbitConnections.nodes("amqp://u:p@rabbit:5672/shop");

    assertThat(nodes.firstNodeUri()).isEqualTo("amqp://u:p@rabbit:5672/shop");
    assertThat(nodes.all()).isNull();
  }

  @Test
  void aUriOfAClusterNamesEveryNodeWithOneUserAndVirtualHost() {
    RabbitConnections.Nodes nodes =
        RabbitConnections.nodes("amqp://u:p@rabbitmq1:5672,rabbitmq2:5672,rabbitmq3/shop");

    assertThat(nodes.firstNodeUri()).isEqualTo("amqp://u:p@rabbitmq1:5672/shop");
    assertThat(nodes.all())
        .containsExactly(
            new Address("rabbitmq1", 5672),
            new Address("rabbitmq2", 5672),
            new Address("rabbitmq3"));
  }
}
