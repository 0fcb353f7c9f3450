package dev.ordersaga.payment.provider;

import static com.mongodb.client.model.Filters.eq;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.mongodb.client.MongoDatabase;
import dev.ordersaga.messaging.contracts.Money;
import dev.ordersaga.messaging.contracts.payment.DeclineReason;
import dev.ordersaga.messaging.contracts.payment.RefundFailureReason;
import dev.ordersaga.messaging.store.Store;
import dev.ordersaga.messaging.testing.StoreExtension;
import java.time.Clock;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedDeque;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The simulated provider against a real store: its ledger, idempotency and flaky faults. */
@ExtendWith(StoreExtension.class)
class SimulatedPaymentProviderIT {

  private static final Money AMOUNT = Money.of("42.50", "EUR");

  /** Draws handed out in order; once used up, draws that never fail. */
  private final ConcurrentLinkedDeque<Double> draws = new ConcurrentLinkedDeque<>();

  private MongoDatabase database;
  private SimulatedPaymentProvider provider;

  @BeforeEach
  void setUp(Store store) {
    database = store.database();
    provider = newProvider();
  }

  private SimulatedPaymentProvider newProvider() {
    return new SimulatedPaymentProvider(
        database,
        Duration.ZERO,
        0.5,
        () -> draws.isEmpty() ? 0.99 : draws.poll(),
        Clock.systemUTC());
  }

  private static String key() {
    return UUID.randomUUID().toString();
  }

  private long charges(String key) {
    return database.getCollection(SimulatedPaymentProvider.CHARGES).countDocuments(eq("_id", key));
  }

  private String charge(String token) {
    return ((ChargeResult.Authorized) provider.authorize(key(), token, AMOUNT)).chargeId();
  }

  @Test
  void aChargeRepeatedWithItsKeyIsTheSameCharge() {
    String key = key();
    ChargeResult first = provider.authorize(key, "pm_card_visa", AMOUNT);
    ChargeResult again = provider.authorize(key, "pm_card_visa", AMOUNT);

    assertThat(first).isInstanceOf(ChargeResult.Authorized.class).isEqualTo(again);
    assertThat(((ChargeResult.Authorized) first).chargeId()).startsWith("ch_");
    assertThat(((ChargeResult.Authorized) first).amount()).isEqualTo(AMOUNT);
    assertThat(charges(key)).isEqualTo(1);
  }

  @Test
  void aDeclineIsRecordedAndRepeatedAsIs() {
    String key = key();
    ChargeResult first = provider.authorize(key, "pm_card_insufficientFunds", AMOUNT);

    assertThat(first)
        .isEqualTo(
            new ChargeResult.Declined(DeclineReason.INSUFFICIENT_FUNDS, "insufficient_funds"));
    assertThat(provider.authorize(key, "pm_card_insufficientFunds", AMOUNT)).isEqualTo(first);
    assertThat(
            database
                .getCollection(SimulatedPaymentProvider.CHARGES)
                .find(eq("_id", key))
                .first()
                .getString("status"))
        .isEqualTo("failed");
  }

  @Test
  void theLedgerOutlivesTheProviderInstance() {
    String key = key();
    ChargeResult first = provider.authorize(key, "pm_card_visa", AMOUNT);

    assertThat(newProvider().authorize(key, "pm_card_visa", AMOUNT)).isEqualTo(first);
    assertThat(charges(key)).isEqualTo(1);
  }

  @Test
  void aFlakyCallThatFailsAfterChargingIsNotChargedAgainOnRetry() {
    String key = key();
    draws.add(0.3); // rate 0.5: fails after recording the charge

    assertThatThrownBy(() -> provider.authorize(key, "pm_card_flaky", AMOUNT))
        .isInstanceOf(ProviderUnavailableException.class);
    assertThat(charges(key)).isEqualTo(1);

    ChargeResult retried = provider.authorize(key, "pm_card_flaky", AMOUNT);
    assertThat(retried).isInstanceOf(ChargeResult.Authorized.class);
    assertThat(charges(key)).isEqualTo(1);
  }

  @Test
  void aFlakyCallThatFailsBeforeChargingRecordsNothing() {
    String key = key();
    draws.add(0.1);

    assertThatThrownBy(() -> provider.authorize(key, "pm_card_flaky", AMOUNT))
        .isInstanceOf(ProviderUnavailableException.class);
    assertThat(charges(key)).isZero();
  }

  @Test
  void aRefundRepeatedWithItsKeyIsTheSameRefundAndTheChargeIsNeverExceeded() {
    String chargeId = charge("pm_card_visa");
    String refundKey = key();

    RefundResult first = provider.refund(refundKey, chargeId, Money.of("40.00", "EUR"));
    RefundResult again = provider.refund(refundKey, chargeId, Money.of("40.00", "EUR"));

    assertThat(first).isInstanceOf(RefundResult.Refunded.class).isEqualTo(again);
    assertThat(
            database
                .getCollection(SimulatedPaymentProvider.REFUNDS)
                .countDocuments(eq("chargeId", chargeId)))
        .isEqualTo(1);
    assertThat(provider.refund(key(), chargeId, Money.of("2.51", "EUR")))
        .isEqualTo(
            new RefundResult.Rejected(RefundFailureReason.PROVIDER_REJECTED, "amount_too_large"));
    assertThat(provider.refund(key(), chargeId, Money.of("2.50", "EUR")))
        .isInstanceOf(RefundResult.Refunded.class);
  }

  @Test
  void refundsOfUnknownOrRefundFailingChargesAreRejected() {
    assertThat(provider.refund(key(), "ch_unknown", AMOUNT))
        .isEqualTo(
            new RefundResult.Rejected(
                RefundFailureReason.PAYMENT_NOT_FOUND, "no such charge: ch_unknown"));
    assertThat(provider.refund(key(), charge("pm_card_refundFails"), AMOUNT))
        .isEqualTo(
            new RefundResult.Rejected(RefundFailureReason.PROVIDER_REJECTED, "refund_failed"));
  }
}
