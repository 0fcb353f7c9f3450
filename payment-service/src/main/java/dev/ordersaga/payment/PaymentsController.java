package dev.ordersaga.payment;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.ordersaga.messaging.web.RequestValues;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.enums.ParameterIn;
import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import java.util.List;
import org.springframework.util.MultiValueMap;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /payments?orderId=...}: an order's charges and refunds, oldest first; an empty list
 * for an order with none. Without {@code orderId}, with it twice, blank, too long or with control
 * characters, or with another parameter: 400, {@code application/problem+json} naming the parameter
 * ({@code RequestValues.onlyParameter}).
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

  @Parameter(
      name = "orderId",
      in = ParameterIn.QUERY,
      required = true,
      schema = @Schema(type = "string"),
      description =
          "the order whose charges and refunds to list; sent once, and no other parameter")
  @GetMapping("/payments")
  List<PaymentView> payments(
      @Parameter(hidden = true) @RequestParam MultiValueMap<String, String> query) {
    String orderId = RequestValues.onlyParameter(query, "orderId");
    return store.forOrder(orderId).stream().map(PaymentView::of).toList();
  }
}
