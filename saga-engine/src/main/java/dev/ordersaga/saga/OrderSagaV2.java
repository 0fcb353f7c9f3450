package dev.ordersaga.saga;

import dev.ordersaga.messaging.contracts.order.RejectionReason;
import java.math.BigDecimal;
import java.util.Optional;

/**
 * Version {@code v2} of the order saga: {@link OrderSaga} with one business rule changed. An order
 * whose total is above {@link #AMOUNT_LIMIT} (in the order's currency) is declined before any
 * charge is asked for: the order is rejected ({@code PAYMENT_DECLINED}) and the customer told, as
 * for a payment the provider declined. Everything else is v1's process.
 *
 * <p>The engine runs it only for sagas routed to it: when it is configured as the candidate ({@code
 * saga.versions.candidate: v2}) and the canary sends an order its way; a saga it started finishes
 * on it.
 */
public class OrderSagaV2 extends OrderSaga {

  /** The largest total v2 takes to payment. */
  public static final BigDecimal AMOUNT_LIMIT = new BigDecimal("500.00");

  @Override
  protected Optional<RejectionReason> refuseBeforePayment() {
    return total().amount().compareTo(AMOUNT_LIMIT) > 0
        ? Optional.of(RejectionReason.PAYMENT_DECLINED)
        : Optional.empty();
  }
}
