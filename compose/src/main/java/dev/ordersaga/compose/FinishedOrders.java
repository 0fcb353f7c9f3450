package dev.ordersaga.compose;

import dev.ordersaga.order.orders.Order;
import dev.ordersaga.order.orders.OrderChanges;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The load generator's observer in the one JVM: told by order-service ({@link
 * OrderChanges#onEveryFinished}) each order it writes in a final status, at the moment it is
 * written, so a run learns every order's end with no request of its own (a shopper's long poll, the
 * other way, is one more HTTP request per order through the same two cores). An order may end
 * before the worker that placed it has read its id from the answer: either side may come first.
 */
final class FinishedOrders implements AutoCloseable {

  private final Map<String, CompletableFuture<Order>> ends = new ConcurrentHashMap<>();
  private final OrderChanges.Subscription subscription;

  FinishedOrders(OrderChanges changes) {
    this.subscription =
        changes.onEveryFinished(
            order -> {
              if (order.status().isFinal()) {
                end(order.orderId()).complete(order);
              }
            });
  }

  /** The order once it is final, or empty if it is not within {@code atMost}. */
  Optional<Order> await(String orderId, Duration atMost) throws InterruptedException {
    try {
      return Optional.of(end(orderId).get(atMost.toMillis(), TimeUnit.MILLISECONDS));
    } catch (TimeoutException e) {
      return Optional.empty();
    } catch (ExecutionException e) {
      throw new IllegalStateException(e.getCause());
    } finally {
      ends.remove(orderId);
    }
  }

  private CompletableFuture<Order> end(String orderId) {
    return ends.computeIfAbsent(orderId, id -> new CompletableFuture<>());
  }

  @Override
  public void close() {
    subscription.close();
  }
}
