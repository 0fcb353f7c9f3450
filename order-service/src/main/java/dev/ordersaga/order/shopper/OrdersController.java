package dev.ordersaga.order.shopper;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.ordersaga.messaging.tracing.CurrentTrace;
import dev.ordersaga.order.cancelling.CancellationRequestReader;
import dev.ordersaga.order.cancelling.OrderCancellation;
import dev.ordersaga.order.orders.Order;
import dev.ordersaga.order.orders.OrderNotFoundException;
import dev.ordersaga.order.orders.OrderStore;
import dev.ordersaga.order.placing.FieldError;
import dev.ordersaga.order.placing.IdempotencyKeys;
import dev.ordersaga.order.placing.InvalidRequestException;
import dev.ordersaga.order.placing.NewOrder;
import dev.ordersaga.order.placing.OrderPlacement;
import dev.ordersaga.order.placing.OrderPlacement.Placement;
import dev.ordersaga.order.placing.OrderRequestValidator;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.context.request.async.DeferredResult;

/**
 * The shopper's REST API.
 *
 * <ul>
 *   <li>{@code POST /orders}: place an order; 201 with the order and its {@code Location}. With an
 *       {@code Idempotency-Key}, repeating the same request answers 201 again with the same order
 *       and {@code Idempotent-Replayed: true}; the same key with a different request is 409.
 *   <li>{@code GET /orders}: the shopper's own orders, newest first, a page at a time.
 *   <li>{@code GET /orders/{orderId}}: where the order stands. With {@code Prefer: wait=N} (RFC
 *       7240) the answer waits until the order is final, at most N seconds (cut to {@code
 *       order-service.api.max-wait}, 30 s), and says {@code Preference-Applied: wait=N}; the
 *       request holds no Tomcat thread meanwhile ({@link OrderWaits}). A {@code Prefer} header
 *       without a well-formed {@code wait} is answered at once, as without one.
 *   <li>{@code POST /orders/{orderId}/cancel}: ask to cancel a pending order; 202, or 409 once the
 *       order is final.
 * </ul>
 *
 * Every request is a signed-in {@link Shopper}'s (see {@link ShopperSecurityConfiguration}), and it
 * acts for the shopper's own customer id only: an order for another customer is 403 (naming {@code
 * customerId}); another customer's order is 404, as if it did not exist, so that order ids cannot
 * be probed. Errors are {@code application/problem+json} (see {@link ShopperApiProblems}).
 */
@RestController
@RequestMapping("/orders")
@EnableConfigurationProperties(ShopperApiSettings.class)
class OrdersController {

  static final String REPLAYED_HEADER = "Idempotent-Replayed";

  private final OrderPlacement placement;
  private final OrderCancellation cancellation;
  private final OrderStore store;
  private final OrderWaits waits;
  private final ShopperApiSettings settings;
  private final OrderPages pages;

  OrdersController(
      OrderPlacement placement,
      OrderCancellation cancellation,
      OrderStore store,
      OrderWaits waits,
      ShopperApiSettings settings,
      OrderPages pages) {
    this.pages = pages;
    this.placement = placement;
    this.cancellation = cancellation;
    this.store = store;
    this.waits = waits;
    this.settings = settings;
  }

  @PostMapping
  ResponseEntity<OrderView> place(
      @RequestHeader(name = IdempotencyKeys.HEADER, required = false) String idempotencyKey,
      @AuthenticationPrincipal Shopper shopper,
      HttpServletRequest request) {
    RequestBodies.requireJson(request.getContentType());
    byte[] body = RequestBodies.read(request, settings.getMaxBodySize().toBytes());
    List<FieldError> errors = new ArrayList<>();
    if (Collections.list(request.getHeaders(IdempotencyKeys.HEADER)).size() > 1) {
      errors.add(new FieldError(IdempotencyKeys.HEADER, "must be sent once"));
    } else {
      IdempotencyKeys.problem(idempotencyKey).ifPresent(errors::add);
    }
    NewOrder order = null;
    try {
      order =
          OrderRequestValidator.validate(
              OrderRequestValidator.readJson(body), shopper.customerId());
    } catch (InvalidRequestException e) {
      errors.addAll(e.errors());
    }
    if (!errors.isEmpty()) {
      throw new InvalidRequestException(errors);
    }
    if (!shopper.owns(order.customer().customerId())) {
      throw new NotYourCustomerException(shopper, order.customer().customerId());
    }
    Placement placed = placement.place(order, idempotencyKey, CurrentTrace.orElse(Map.of()));
    ResponseEntity.BodyBuilder response =
        ResponseEntity.status(HttpStatus.CREATED).location(location(request, placed.order()));
    if (placed.replayed()) {
      response.header(REPLAYED_HEADER, "true");
    }
    return response.body(OrderView.of(placed.order()));
  }

  @GetMapping
  OrderPage list(@AuthenticationPrincipal Shopper shopper, HttpServletRequest request) {
    OrderPages.PageRequest page = pages.read(request.getParameterMap(), shopper.customerId());
    // one more than asked tells whether another page follows
    List<Order> found = store.ofCustomer(shopper.customerId(), page.after(), page.limit() + 1);
    List<Order> shown = found.subList(0, Math.min(found.size(), page.limit()));
    String next =
        found.size() > page.limit()
            ? pages.next(shown.get(shown.size() - 1), shopper.customerId())
            : null;
    return new OrderPage(shown.stream().map(OrderView::of).toList(), next);
  }

  /**
   * A page of the shopper's orders.
   *
   * @param next the cursor of the next page; absent on the last page
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record OrderPage(List<OrderView> orders, String next) {}

  @GetMapping("/{orderId}")
  OrderView get(@PathVariable String orderId, @AuthenticationPrincipal Shopper shopper) {
    return OrderView.of(
        store
            .find(orderId)
            .filter(order -> shopper.owns(order.customer().customerId()))
            .orElseThrow(() -> new OrderNotFoundException(orderId)));
  }

  @GetMapping(path = "/{orderId}", headers = PreferWait.HEADER)
  DeferredResult<ResponseEntity<OrderView>> getWhenFinal(
      @PathVariable String orderId,
      @AuthenticationPrincipal Shopper shopper,
      HttpServletRequest request) {
    OptionalLong asked =
        PreferWait.seconds(Collections.list(request.getHeaders(PreferWait.HEADER)));
    if (asked.isEmpty()) {
      DeferredResult<ResponseEntity<OrderView>> now = new DeferredResult<>();
      now.setResult(ResponseEntity.ok(get(orderId, shopper)));
      return now;
    }
    long seconds = Math.min(asked.getAsLong(), settings.getMaxWait().toSeconds());
    return waits.await(
        orderId,
        shopper,
        Duration.ofSeconds(seconds),
        order ->
            ResponseEntity.ok()
                .header(PreferWait.APPLIED_HEADER, "wait=" + seconds)
                .body(OrderView.of(order)));
  }

  @PostMapping("/{orderId}/cancel")
  ResponseEntity<OrderView> cancel(
      @PathVariable String orderId,
      @AuthenticationPrincipal Shopper shopper,
      HttpServletRequest request) {
    byte[] body = RequestBodies.read(request, settings.getMaxBodySize().toBytes());
    if (body.length > 0) {
      RequestBodies.requireJson(request.getContentType());
    }
    String reason = CancellationRequestReader.reason(body);
    Order order =
        cancellation.request(orderId, shopper.customerId(), reason, CurrentTrace.orElse(Map.of()));
    return ResponseEntity.status(HttpStatus.ACCEPTED)
        .location(location(request, order))
        .body(OrderView.of(order));
  }

  private static URI location(HttpServletRequest request, Order order) {
    return URI.create(request.getContextPath() + "/orders/" + order.orderId());
  }
}
