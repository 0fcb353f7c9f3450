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
 *
 * A test that checks the hot-path rule with {@code Store.scans()} uses {@link WithEmbeddedStore}
 * instead.
 */
public class TestInfrastructure
    implements ApplicationContextInitializer<ConfigurableApplicationContext> {

  /**
   * The same, with the embedded store in memory even where {@code MONGODB_URI} or Docker would give
   * a MongoDB, so that {@code Store.scans()} sees every query:
   *
   * <pre>{@code
   * @ContextConfiguration(initializers = TestInfrastructure.WithEmbeddedStore.class)
   * class OrderHotPathIT {
   *   @Autowired Store store;
   *   ...
   * }
   * }</pre>
   */
  public static class WithEmbeddedStore extends TestInfrastructure {
    public WithEmbeddedStore() {
      super(true);
    }
  }

  private final boolean embeddedStore;

  public TestInfrastructure() {
    this(false);
  }

  private TestInfrastructure(boolean embeddedStore) {
    this.embeddedStore = embeddedStore;
  }

  @Override
  public void initialize(ConfigurableApplicationContext context) {
    String id = UUID.randomUUID().toString().substring(0, 8);
    Map<String, Object> properties = new HashMap<>();
    properties.put("messaging.rabbit.namespace", "t-" + id + ".");
    properties.put("messaging.store.embedded", "MEMORY");
    properties.put("messaging.store.database", "test_" + id);
    String uri = embeddedStore ? "" : TestStores.uri();
    if (uri != null) {
      // blank: the embedded server, whatever MONGODB_URI says
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
