package dev.ordersaga.shipping.shipment;

import dev.ordersaga.messaging.web.RequestValues;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.enums.ParameterIn;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;
import org.springframework.util.MultiValueMap;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /shipments?orderId=...}: an order's shipments, oldest first (an empty list for an
 * order without any). Without {@code orderId}, with a blank, repeated, too long or
 * control-character one, or with another parameter, it answers 400 as {@code
 * application/problem+json} with {@code errors: [{field, message}]} naming it ({@code
 * RequestValues.onlyParameter}).
 */
@RestController
@RequestMapping("/shipments")
class ShipmentController {

  private final ShipmentStore store;

  ShipmentController(ShipmentStore store) {
    this.store = store;
  }

  @Parameter(
      name = "orderId",
      in = ParameterIn.QUERY,
      required = true,
      schema = @Schema(type = "string"),
      description = "the order whose shipments to list; sent once, and no other parameter")
  @GetMapping
  List<ShipmentView> byOrder(
      @Parameter(hidden = true) @RequestParam MultiValueMap<String, String> query) {
    String orderId = RequestValues.onlyParameter(query, "orderId");
    return store.byOrder(orderId).stream().map(ShipmentView::of).toList();
  }
}
