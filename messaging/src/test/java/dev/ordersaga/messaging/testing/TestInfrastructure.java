package dev.ordersaga.messaging.testing;

import com.rabbitmq.client.Connection;
import dev.ordersaga.messaging.rabbit.Topology;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.core.env.MapPropertySource;

/**
 * Points a Spring Boot test of a service at real test infrastructure: the configured RabbitMQ under
 * a namespace of its own (deleted when the context closes) and a test store (see {@link
 * TestStores}).
 *
 * <pre>{@code
 * @SpringBootTest(webEnvironment = RANDOM_PORT)
 * @ContextConfiguration(initializers = TestInfrastructure.class)
 * }</pre>
 */
public class TestInfrastructure
    implements ApplicationContextInitializer<ConfigurableApplicationContext> {

  @Override
  public void initialize(ConfigurableApplicationContext context) {
    String id = UUID.randomUUID().toString().substring(0, 8);
    Map<String, Object> properties = new HashMap<>();
    properties.put("messaging.rabbit.namespace", "t-" + id + ".");
    properties.put("messaging.store.embedded", "MEMORY");
    properties.put("messaging.store.database", "test_" + id);
    String uri = TestStores.uri();
    if (uri != null) {
      properties.put("messaging.store.uri", uri);
    }
    context
        .getEnvironment()
        .getPropertySources()
        .addFirst(new MapPropertySource("testInfrastructure", properties));
    context.addApplicationListener(
        event -> {
          if (event instanceof ContextClosedEvent closed
              && closed.getApplicationContext() == context) {
            deleteTopology(context);
          }
        });
  }

  private static void deleteTopology(ConfigurableApplicationContext context) {
    Connection connection = context.getBean(Connection.class);
    if (connection.isOpen()) {
      try {
        context.getBean(Topology.class).delete(connection);
      } catch (Exception e) {
        throw new IllegalStateException("cannot delete the test topology", e);
      }
    }
  }
}
