package dev.ordersaga.messaging.testing;

import dev.ordersaga.messaging.rabbit.Topology;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit 5 extension: gives a test class a {@link TestRabbit}, a real broker connection with
 * exchanges and queues of its own (a name prefix per class), removed after the class.
 *
 * <pre>{@code
 * @ExtendWith(RabbitExtension.class)
 * class MyIT {
 *   @Test
 *   void test(TestRabbit rabbit) { ... }
 * }
 * }</pre>
 */
public final class RabbitExtension
    implements BeforeAllCallback, AfterAllCallback, ParameterResolver {

  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(RabbitExtension.class);

  @Override
  public void beforeAll(ExtensionContext context) {
    context
        .getStore(NAMESPACE)
        .put(TestRabbit.class, TestRabbit.start(Topology.DEFAULT_MAX_DELIVERIES));
  }

  @Override
  public void afterAll(ExtensionContext context) throws Exception {
    TestRabbit rabbit = context.getStore(NAMESPACE).remove(TestRabbit.class, TestRabbit.class);
    if (rabbit != null) {
      rabbit.close();
    }
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == TestRabbit.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return context.getStore(NAMESPACE).get(TestRabbit.class, TestRabbit.class);
  }
}
