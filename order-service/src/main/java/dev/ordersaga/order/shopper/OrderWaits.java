package dev.ordersaga.order.shopper;

import dev.ordersaga.messaging.work.PeriodicWork;
import dev.ordersaga.order.orders.Order;
import dev.ordersaga.order.orders.OrderChanges;
import dev.ordersaga.order.orders.OrderNotFoundException;
import dev.ordersaga.order.orders.OrderStatus;
import dev.ordersaga.order.orders.OrderStore;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;
import org.springframework.web.context.request.async.DeferredResult;

/**
 * Shoppers' requests waiting for the saga to decide their order (a final status, or REFUND_PENDING:
 * {@link OrderStatus#isDecided()}) ({@code GET /orders/{id}} with {@code Prefer: wait=N}), held as
 * Spring MVC {@link DeferredResult}s: a waiting request holds its connection but no Tomcat thread.
 * A request ends with the order as it stands when the first of these happens:
 *
 * <ul>
 *   <li>this instance's command handler finishes the order ({@link OrderChanges}): at once, without
 *       reading the store;
 *   <li>a read of the order every {@code order-service.api.wait-recheck-interval} (1 s) finds it
 *       decided: a change another instance made;
 *   <li>the wait is over: the order is read once more and answered as it is (PENDING).
 * </ul>
 *
 * The rechecks and the ends of the waits run on one thread, a {@link PeriodicWork} ({@code
 * order-waits}): every recheck interval it reads each waiting order again, each read by {@code
 * _id}. Gauge {@code orders.waiting}: requests waiting now.
 */
@Component
class OrderWaits implements DisposableBean {

  private static final Logger log = LoggerFactory.getLogger(OrderWaits.class);

  /** How much longer than the wait the container's own timeout is, should the scheduler lag. */
  private static final Duration CONTAINER_TIMEOUT_MARGIN = Duration.ofSeconds(10);

  private final OrderStore store;
  private final OrderChanges changes;
  private final Set<Waiter<?>> waiting = ConcurrentHashMap.newKeySet();
  private final PeriodicWork rechecks;

  OrderWaits(
      OrderStore store, OrderChanges changes, ShopperApiSettings settings, MeterRegistry registry) {
    this.store = store;
    this.changes = changes;
    this.rechecks =
        PeriodicWork.named("order-waits", registry)
            .every(settings.getWaitRecheckInterval())
            .build(() -> waiting.forEach(Waiter::recheck));
    rechecks.start(); // before the first request; stopped by destroy
    Gauge.builder("orders.waiting", waiting, Set::size)
        .description("Shopper requests waiting for an order to reach a final status")
        .register(registry);
  }

  /**
   * The order once it is final, or as it stands after {@code wait}.
   *
   * @param answer what to answer with the order
   * @throws OrderNotFoundException when there is no such order of this shopper (at once)
   */
  <T> DeferredResult<T> await(
      String orderId, Shopper shopper, Duration wait, Function<Order, T> answer) {
    DeferredResult<T> result = new DeferredResult<>(wait.plus(CONTAINER_TIMEOUT_MARGIN).toMillis());
    Waiter<T> waiter = new Waiter<>(orderId, shopper, result, answer);
    // listen before reading, so that a change between the read and the listening is not missed
    OrderChanges.Subscription subscription = changes.onFinished(orderId, waiter::finished);
    Order order;
    try {
      order = waiter.read();
    } catch (RuntimeException e) {
      subscription.close();
      throw e;
    }
    if (order.status().isDecided() || wait.isZero()) {
      subscription.close();
      result.setResult(answer.apply(order));
      return result;
    }
    ScheduledFuture<?> deadline = rechecks.schedule(waiter::answerAsItStands, wait);
    waiting.add(waiter);
    result.onTimeout(waiter::answerAsItStands);
    result.onCompletion(
        () -> {
          subscription.close();
          waiting.remove(waiter);
          deadline.cancel(false);
        });
    return result;
  }

  @Override
  public void destroy() {
    rechecks.stop();
  }

  /** One waiting request. */
  private final class Waiter<T> {

    private final String orderId;
    private final Shopper shopper;
    private final DeferredResult<T> result;
    private final Function<Order, T> answer;

    Waiter(String orderId, Shopper shopper, DeferredResult<T> result, Function<Order, T> answer) {
      this.orderId = orderId;
      this.shopper = shopper;
      this.result = result;
      this.answer = answer;
    }

    /** The order, if it is the shopper's. */
    Order read() {
      return store
          .find(orderId)
          .filter(order -> shopper.owns(order.customer().customerId()))
          .orElseThrow(() -> new OrderNotFoundException(orderId));
    }

    /** Told by this instance's command handler. */
    void finished(Order order) {
      if (shopper.owns(order.customer().customerId())) {
        result.setResult(answer.apply(order));
      }
    }

    /** Reads the order again; answers if it is final. A failed read waits for the next. */
    void recheck() {
      if (result.isSetOrExpired()) {
        return;
      }
      try {
        Order order = read();
        if (order.status().isDecided()) {
          result.setResult(answer.apply(order));
        }
      } catch (RuntimeException e) {
        log.debug("could not read order {} again while waiting for it", orderId, e);
      }
    }

    /** The wait is over: answers the order as it stands, or the error reading it. */
    void answerAsItStands() {
      if (result.isSetOrExpired()) {
        return;
      }
      try {
        result.setResult(answer.apply(read()));
      } catch (RuntimeException e) {
        result.setErrorResult(e);
      }
    }
  }
}
