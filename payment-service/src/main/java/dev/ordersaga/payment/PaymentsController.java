package dev.ordersaga.payment;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /payments?orderId=...}: an order's charges and refunds, oldest first; an empty list
 * for an order with none. Without {@code orderId}: 400, {@code application/problem+json}.
 */
@RestController
class PaymentsController {

  private final PaymentStore store;

  PaymentsController(PaymentStore store) {
    this.store = store;
  }

  /**
   * One charge or refund.
   *
   * @param kind CHARGE or REFUND
   * @param paymentId the charge; null for a declined charge
   * @param refundId the refund; only for a refund made
   * @param amount decimal string, as on the wire
   * @param state AUTHORIZED or DECLINED for a charge, REFUNDED or FAILED for a refund
   * @param reason why it was declined or failed
   * @param detail the provider's detail of a decline or failure
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record PaymentView(
      String kind,
      String orderId,
      String paymentId,
      String refundId,
      String amount,
      String currency,
      String state,
      String reason,
      String detail,
      Instant createdAt) {

    static PaymentView of(PaymentRecord record) {
      return new PaymentView(
          record.kind().name(),
          record.orderId(),
          record.paymentId(),
          record.refundId(),
          record.amount().amount().toPlainString(),
          record.amount().currency(),
          record.state().name(),
          record.reason(),
          record.detail(),
          record.createdAt());
    }
  }

  @GetMapping("/payments")
  List<PaymentView> payments(@RequestParam(name = "orderId", required = false) String orderId) {
    if (orderId == null || orderId.isBlank()) {
      throw new MissingOrderIdException();
    }
    return store.forOrder(orderId).stream().map(PaymentView::of).toList();
  }

  @ExceptionHandler(MissingOrderIdException.class)
  ProblemDetail missingOrderId() {
    ProblemDetail problem =
        ProblemDetail.forStatusAndDetail(
            HttpStatus.BAD_REQUEST, "the query parameter orderId is required");
    problem.setTitle("Missing query parameter");
    problem.setProperty("parameter", "orderId");
    return problem;
  }

  private static final class MissingOrderIdException extends RuntimeException {
    private static final long serialVersionUID = 1L;
  }
}
