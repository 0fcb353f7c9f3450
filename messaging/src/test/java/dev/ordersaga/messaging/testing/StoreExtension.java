package dev.ordersaga.messaging.testing;

import dev.ordersaga.messaging.store.Store;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit 5 extension: gives a test class a {@link Store} with a database of its own, chosen as
 * {@link TestStores} says ({@code MONGODB_URI}, Testcontainers MongoDB, or embedded in memory), and
 * closes it after the class. A test that checks {@link Store#scans()} opens {@link
 * TestStores#openEmbedded()} itself.
 */
public final class StoreExtension
    implements BeforeAllCallback, AfterAllCallback, ParameterResolver {

  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(StoreExtension.class);

  @Override
  public void beforeAll(ExtensionContext context) {
    context.getStore(NAMESPACE).put(Store.class, TestStores.open());
  }

  @Override
  public void afterAll(ExtensionContext context) {
    Store store = context.getStore(NAMESPACE).remove(Store.class, Store.class);
    if (store != null) {
      store.close();
    }
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == Store.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return context.getStore(NAMESPACE).get(Store.class, Store.class);
  }
}
