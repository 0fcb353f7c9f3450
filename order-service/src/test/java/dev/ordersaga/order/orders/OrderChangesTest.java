package dev.ordersaga.order.orders;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class OrderChangesTest {

  private final OrderChanges changes = new OrderChanges();

  @Test
  void tellsTheListenersOfThatOrderAndTheListenersOfEveryOrder() {
    List<String> ofOne = new ArrayList<>();
    List<String> ofEvery = new ArrayList<>();
    changes.onFinished("o-1", order -> ofOne.add(order.orderId()));
    changes.onEveryFinished(order -> ofEvery.add(order.orderId()));

    changes.finished(order("o-1"));
    changes.finished(order("o-2"));

    assertThat(ofOne).containsExactly("o-1");
    assertThat(ofEvery).containsExactly("o-1", "o-2");
  }

  @Test
  void aClosedSubscriptionIsNotToldAndAFailingListenerDoesNotStopTheOthers() {
    List<String> told = new ArrayList<>();
    OrderChanges.Subscription closed = changes.onEveryFinished(order -> told.add("closed"));
    changes.onEveryFinished(
        order -> {
          throw new IllegalStateException("listener failed");
        });
    changes.onEveryFinished(order -> told.add("every"));
    changes.onFinished(
        "o-1",
        order -> {
          throw new IllegalStateException("listener failed");
        });
    changes.onFinished("o-1", order -> told.add("one"));

    closed.close();
    changes.finished(order("o-1"));

    assertThat(told).containsExactlyInAnyOrder("every", "one");
  }

  private static Order order(String orderId) {
    return TestOrders.order(orderId, OrderStatus.APPROVED, Instant.parse("2026-11-29T12:00:00Z"));
  }
}
