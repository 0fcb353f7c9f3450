package dev.ordersaga.shipping.shipment;

import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /shipments?orderId=...}: an order's shipments, oldest first (an empty list for an
 * order without any). Without {@code orderId}, or with a blank one, it answers 400 as {@code
 * application/problem+json} with {@code "parameter": "orderId"}.
 */
@RestController
@RequestMapping("/shipments")
class ShipmentController {

  private final ShipmentStore store;

  ShipmentController(ShipmentStore store) {
    this.store = store;
  }

  @GetMapping
  List<ShipmentView> byOrder(@RequestParam(required = false) String orderId) {
    if (orderId == null || orderId.isBlank()) {
      throw missingParameter("orderId");
    }
    return store.byOrder(orderId).stream().map(ShipmentView::of).toList();
  }

  private static ErrorResponseException missingParameter(String name) {
    ProblemDetail problem =
        ProblemDetail.forStatusAndDetail(
            HttpStatus.BAD_REQUEST, "query parameter '" + name + "' is required");
    problem.setTitle("Missing query parameter");
    problem.setProperty("parameter", name);
    return new ErrorResponseException(HttpStatus.BAD_REQUEST, problem, null);
  }
}
