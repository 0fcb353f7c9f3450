package dev.ordersaga.order.shopper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ordersaga.messaging.web.SignedCursors;
import dev.ordersaga.order.orders.Order;
import dev.ordersaga.order.orders.OrderStatus;
import dev.ordersaga.order.orders.OrderStore.Position;
import dev.ordersaga.order.orders.TestOrders;
import dev.ordersaga.order.placing.FieldError;
import dev.ordersaga.order.placing.InvalidRequestException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OrderPagesTest {

  private final OrderPages pages =
      new OrderPages(
          new SignedCursors("a key for the tests, long enough".getBytes(StandardCharsets.UTF_8)));

  @Test
  void aPagesNextCursorLeadsToThePositionAfterItsLastOrder() {
    Instant createdAt = Instant.parse("2026-11-22T01:02:03.456Z");
    String next = pages.next(order("7e99148b-2302-4504-b2bc-ddbd4aac738c", createdAt), "c-42");

    OrderPages.PageRequest request =
        pages.read(Map.of("cursor", new String[] {next}, "limit", new String[] {"5"}), "c-42");

    assertThat(request.after())
        .isEqualTo(new Position(createdAt, "7e99148b-2302-4504-b2bc-ddbd4aac738c"));
    assertThat(request.limit()).isEqualTo(5);
  }

  @Test
  void defaultsToTheNewestPageOfTheDefaultSize() {
    OrderPages.PageRequest request = pages.read(Map.of(), "c-42");

    assertThat(request.after()).isNull();
    assertThat(request.limit()).isEqualTo(OrderPages.DEFAULT_LIMIT);
  }

  @Test
  void refusesCursorsItDidNotGiveOutForThisShopper() {
    for (String cursor :
        new String[] {
          "",
          "%%%",
          encode("o1:12:"),
          encode("o1:twelve:abc"),
          encode("o0:12:abc"),
          encode("just text"),
          "bzE6MDp4", // o1:0:x, as this API once gave out unsigned
          encode("o1:1779000000000:7e99148b-2302-4504-b2bc-ddbd4aac738c"),
          pages.next(order("7e99148b-2302-4504-b2bc-ddbd4aac738c", Instant.EPOCH), "c-43")
        }) {
      assertThatThrownBy(() -> pages.read(Map.of("cursor", new String[] {cursor}), "c-42"))
          .as(cursor)
          .isInstanceOfSatisfying(
              InvalidRequestException.class,
              e -> assertThat(e.errors()).extracting(FieldError::field).containsExactly("cursor"));
    }
  }

  @Test
  void refusesRepeatedParameters() {
    assertThatThrownBy(() -> pages.read(Map.of("limit", new String[] {"5", "6"}), "c-42"))
        .isInstanceOfSatisfying(
            InvalidRequestException.class,
            e -> assertThat(e.errors()).extracting(FieldError::field).containsExactly("limit"));
  }

  private static String encode(String text) {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(text.getBytes(StandardCharsets.UTF_8));
  }

  private static Order order(String orderId, Instant createdAt) {
    return TestOrders.order(orderId, OrderStatus.PENDING, createdAt);
  }
}
