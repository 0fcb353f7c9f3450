package dev.ordersaga.payment;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ordersaga.messaging.contracts.Money;
import dev.ordersaga.messaging.contracts.payment.PaymentRefundFailed;
import dev.ordersaga.messaging.contracts.payment.RefundFailureReason;
import dev.ordersaga.messaging.contracts.payment.RefundPayment;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RefundCheckTest {

  private static final PaymentRecord CHARGE =
      new PaymentRecord(
          "key-1",
          PaymentRecord.Kind.CHARGE,
          "order-1",
          "ch_1",
          null,
          "customer-1",
          Money.of("25.00", "EUR"),
          PaymentRecord.State.AUTHORIZED,
          null,
          null,
          Instant.parse("2026-01-01T00:00:00Z"),
          "{}");

  private static RefundPayment refund(String orderId, String paymentId, String amount, String cur) {
    return new RefundPayment(orderId, "key-1", paymentId, Money.of(amount, cur));
  }

  private static Optional<RefundFailureReason> reason(RefundPayment command, PaymentRecord stored) {
    return RefundCheck.refuse(command, Optional.ofNullable(stored))
        .map(PaymentRefundFailed::reason);
  }

  @Test
  void theWholeChargeOrLessMayBeRefunded() {
    assertThat(reason(refund("order-1", "ch_1", "25.00", "EUR"), CHARGE)).isEmpty();
    assertThat(reason(refund("order-1", "ch_1", "25", "EUR"), CHARGE)).isEmpty();
    assertThat(reason(refund("order-1", "ch_1", "0.01", "EUR"), CHARGE)).isEmpty();
  }

  @Test
  void moreThanTheChargeIsRejectedWithBothAmountsInTheDetail() {
    Optional<PaymentRefundFailed> refused =
        RefundCheck.refuse(refund("order-1", "ch_1", "25.01", "EUR"), Optional.of(CHARGE));
    assertThat(refused).isPresent();
    assertThat(refused.get().reason()).isEqualTo(RefundFailureReason.PROVIDER_REJECTED);
    assertThat(refused.get().detail()).contains("25.01").contains("25.00 EUR");
    assertThat(refused.get().paymentId()).isEqualTo("ch_1");
  }

  @Test
  void anotherCurrencyOrNothingIsRejected() {
    assertThat(reason(refund("order-1", "ch_1", "10.00", "USD"), CHARGE))
        .contains(RefundFailureReason.PROVIDER_REJECTED);
    assertThat(reason(refund("order-1", "ch_1", "0", "EUR"), CHARGE))
        .contains(RefundFailureReason.PROVIDER_REJECTED);
  }

  @Test
  void aPaymentThatWasNotAuthorizedUnderTheKeyIsNotFound() {
    assertThat(reason(refund("order-1", "ch_1", "1", "EUR"), null))
        .contains(RefundFailureReason.PAYMENT_NOT_FOUND);
    assertThat(reason(refund("order-2", "ch_1", "1", "EUR"), CHARGE))
        .contains(RefundFailureReason.PAYMENT_NOT_FOUND);
    assertThat(reason(refund("order-1", "ch_other", "1", "EUR"), CHARGE))
        .contains(RefundFailureReason.PAYMENT_NOT_FOUND);
    PaymentRecord declined =
        new PaymentRecord(
            "key-1",
            PaymentRecord.Kind.CHARGE,
            "order-1",
            null,
            null,
            "customer-1",
            CHARGE.amount(),
            PaymentRecord.State.DECLINED,
            "CARD_EXPIRED",
            "expired_card",
            CHARGE.createdAt(),
            "{}");
    assertThat(reason(refund("order-1", "ch_1", "1", "EUR"), declined))
        .contains(RefundFailureReason.PAYMENT_NOT_FOUND);
  }
}
