package dev.ordersaga.payment.provider;

import static com.mongodb.client.model.Filters.eq;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.mongodb.client.MongoDatabase;
import dev.ordersaga.messaging.contracts.Money;
import dev.ordersaga.messaging.contracts.payment.DeclineReason;
import dev.ordersaga.messaging.contracts.payment.RefundFailureReason;
import dev.ordersaga.messaging.store.Store;
import dev.ordersaga.messaging.testing.Concurrently;
import dev.ordersaga.messaging.testing.StoreExtension;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedDeque;
import org.bson.Document;
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

  private List<Document> refunds(String chargeId) {
    return SimulatedPaymentProvider.refunds(chargeDocument(chargeId));
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
    assertThat(refunds(chargeId)).hasSize(1);
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

  @Test
  void theFirstRefundOfARefundFailsOnceChargeIsRejectedAndTheNextIsMade() {
    String chargeId = charge("pm_card_refundFailsOnce");

    assertThat(provider.refund(key(), chargeId, AMOUNT))
        .isEqualTo(
            new RefundResult.Rejected(RefundFailureReason.PROVIDER_REJECTED, "refund_failed"));
    assertThat(provider.refund(key(), chargeId, AMOUNT)).isInstanceOf(RefundResult.Refunded.class);
  }

  @Test
  void concurrentRefundsOfOneChargeNeverExceedIt() {
    String chargeId = charge("pm_card_visa"); // 42.50 EUR

    List<RefundResult> results =
        Concurrently.run(10, i -> provider.refund(key(), chargeId, Money.of("5.00", "EUR")));

    assertThat(results).filteredOn(RefundResult.Refunded.class::isInstance).hasSize(8);
    assertThat(results)
        .filteredOn(RefundResult.Rejected.class::isInstance)
        .containsOnly(
            new RefundResult.Rejected(RefundFailureReason.PROVIDER_REJECTED, "amount_too_large"));
    assertThat(refunds(chargeId)).hasSize(8);
    assertThat(chargeDocument(chargeId).getString("refunded")).isEqualTo("40.00");
  }

  @Test
  void concurrentCallsUnderOneKeyChargeOnceAndRefundOnce() {
    String key = key();

    List<ChargeResult> charged =
        Concurrently.run(8, i -> provider.authorize(key, "pm_card_visa", AMOUNT));

    assertThat(charged).hasSize(8).containsOnly(charged.get(0));
    assertThat(charges(key)).isEqualTo(1);
    String chargeId = ((ChargeResult.Authorized) charged.get(0)).chargeId();
    String refundKey = key();

    List<RefundResult> refunded =
        Concurrently.run(8, i -> provider.refund(refundKey, chargeId, Money.of("30.00", "EUR")));

    assertThat(refunded).hasSize(8).containsOnly(refunded.get(0));
    assertThat(refunded.get(0)).isInstanceOf(RefundResult.Refunded.class);
    assertThat(refunds(chargeId)).hasSize(1);
    assertThat(chargeDocument(chargeId).getString("refunded")).isEqualTo("30.00");
  }

  @Test
  void callsAboutDifferentChargesOverlapTheirLatency() {
    Duration latency = Duration.ofMillis(500);
    SimulatedPaymentProvider slow =
        new SimulatedPaymentProvider(database, latency, 0.5, () -> 0.99, Clock.systemUTC());
    int calls = 6;

    long started = System.nanoTime();
    List<ChargeResult> results =
        Concurrently.run(calls, i -> slow.authorize(key(), "pm_card_visa", AMOUNT));
    Duration took = Duration.ofNanos(System.nanoTime() - started);

    assertThat(results).allMatch(ChargeResult.Authorized.class::isInstance);
    // one after the other they would take calls x latency (3 s)
    assertThat(took).isLessThan(latency.multipliedBy(calls - 2));
  }

  private Document chargeDocument(String chargeId) {
    return database
        .getCollection(SimulatedPaymentProvider.CHARGES)
        .find(eq("chargeId", chargeId))
        .first();
  }
}
