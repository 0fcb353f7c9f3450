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
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.enums.ParameterIn;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
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

  /**
   * An order as a shopper posts it, the example of the OpenAPI document (compose/demo-order.json).
   */
  private static final String EXAMPLE_ORDER =
      """
      {"customerEmail": "minji@example.com", "locale": "ko", "currency": "EUR",
       "items": [{"sku": "MUG-01", "quantity": 2, "unitPrice": "16.50"}],
       "shippingAddress": {"name": "Kim Minji", "line1": "12 Sejong-daero", "city": "Seoul",
                           "postalCode": "04524", "country": "KR"},
       "paymentMethod": {"token": "pm_card_visa"}}
      """;

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
  @Operation(summary = "Place an order")
  @io.swagger.v3.oas.annotations.parameters.RequestBody(
      required = true,
      description =
          "The order; its customer is the signed-in shopper (a customerId, if sent, must be the"
              + " shopper's own)",
      content =
          @Content(
              mediaType = "application/json",
              schema = @Schema(type = "object"),
              examples = @ExampleObject(name = "order", value = EXAMPLE_ORDER)))
  @ApiResponse(
      responseCode = "201",
      description =
          "Placed (or, with the same Idempotency-Key and body again, the same order with"
              + " Idempotent-Replayed: true); Location names it",
      content = @Content(schema = @Schema(implementation = OrderView.class)))
  @ApiResponse(
      responseCode = "409",
      description =
          "The Idempotency-Key was used before with a different body (idempotency-key-reused)")
  ResponseEntity<OrderView> place(
      @Parameter(
              description =
                  "makes the request safe to repeat: the same key and body answer the same order")
          @RequestHeader(name = IdempotencyKeys.HEADER, required = false)
          String idempotencyKey,
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
  @Operation(summary = "The shopper's own orders, newest first, a page at a time")
  @Parameter(
      name = "limit",
      in = ParameterIn.QUERY,
      description = "orders per page, 1 to " + OrderPages.MAX_LIMIT,
      schema = @Schema(type = "integer", defaultValue = "" + OrderPages.DEFAULT_LIMIT))
  @Parameter(
      name = "cursor",
      in = ParameterIn.QUERY,
      schema = @Schema(type = "string"),
      description = "the next of the previous page, unchanged")
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
  @Operation(
      summary = "Where the order stands",
      description =
          "With Prefer: wait=N the answer waits until the order is final, at most N seconds (cut"
              + " to order-service.api.max-wait), and says Preference-Applied: wait=N.")
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
  @Operation(summary = "Ask to cancel a pending order")
  @io.swagger.v3.oas.annotations.parameters.RequestBody(
      required = false,
      description = "Optional: why the shopper cancels",
      content =
          @Content(
              mediaType = "application/json",
              schema = @Schema(type = "object"),
              examples =
                  @ExampleObject(name = "reason", value = "{\"reason\": \"changed my mind\"}")))
  @ApiResponse(
      responseCode = "202",
      description =
          "Cancellation asked for; the saga undoes what was done (Location names the order)",
      content = @Content(schema = @Schema(implementation = OrderView.class)))
  @ApiResponse(
      responseCode = "409",
      description = "The order is final: too late to cancel (order-not-cancellable)")
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
