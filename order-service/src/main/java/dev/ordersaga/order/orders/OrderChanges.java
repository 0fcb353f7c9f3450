package dev.ordersaga.order.orders;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * In-process news of orders the saga decided (a final status, or REFUND_PENDING), for requests of
 * this instance that wait for them (a shopper's {@code GET /orders/{id}} with {@code Prefer:
 * wait}). Only what this instance's command handler finished is told here; waiters read the store
 * again now and then for what other instances finished. Listeners run on the thread that finished
 * the order and must not block; an exception of one is logged and does not reach the others or the
 * command handler.
 */
@Component
public class OrderChanges {

  private static final Logger log = LoggerFactory.getLogger(OrderChanges.class);

  /** A listener's registration; closing it stops the listener being told. */
  public interface Subscription extends AutoCloseable {
    @Override
    void close();
  }

  private final Map<String, Set<Consumer<Order>>> listeners = new ConcurrentHashMap<>();
  private final Set<Consumer<Order>> everyOrder = ConcurrentHashMap.newKeySet();

  /** Tells the listener the order as finished, if it finishes in this instance. */
  public Subscription onFinished(String orderId, Consumer<Order> listener) {
    listeners.compute(
        orderId,
        (id, current) -> {
          Set<Consumer<Order>> set = current == null ? ConcurrentHashMap.newKeySet() : current;
          set.add(listener);
          return set;
        });
    return () ->
        listeners.computeIfPresent(
            orderId,
            (id, current) -> {
              current.remove(listener);
              return current.isEmpty() ? null : current;
            });
  }

  /**
   * Tells the listener every order this instance finishes (the load generator's observer: it learns
   * each order's end from the instance that wrote it, with no request of its own).
   */
  public Subscription onEveryFinished(Consumer<Order> listener) {
    everyOrder.add(listener);
    return () -> everyOrder.remove(listener);
  }

  /** The order, as just written in its final status or REFUND_PENDING. */
  public void finished(Order order) {
    tell(everyOrder, order);
    Set<Consumer<Order>> waiting = listeners.get(order.orderId());
    if (waiting != null) {
      tell(waiting, order);
    }
  }

  private static void tell(Set<Consumer<Order>> listeners, Order order) {
    for (Consumer<Order> listener : listeners) {
      try {
        listener.accept(order);
      } catch (RuntimeException e) {
        log.warn("a listener of order {} failed", order.orderId(), e);
      }
    }
  }
}
