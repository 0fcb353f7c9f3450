package dev.ordersaga.payment.provider;

import static com.mongodb.client.model.Filters.eq;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import dev.ordersaga.messaging.contracts.Money;
import dev.ordersaga.messaging.contracts.payment.DeclineReason;
import dev.ordersaga.messaging.contracts.payment.RefundFailureReason;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.util.Date;
import java.util.Optional;
import java.util.UUID;
import java.util.function.DoubleSupplier;
import org.bson.Document;

/**
 * A payment provider simulated in process, answering by {@link TestCard} token after a configured
 * latency. Like a real provider it keeps its own ledger (collections {@value #CHARGES} and {@value
 * #REFUNDS} of the service's database, so it survives a restart) and is idempotent by key: a
 * repeated key returns the recorded charge or refund, declines included. A refund never takes more
 * than what is left of its charge.
 */
public final class SimulatedPaymentProvider implements PaymentProvider {

  /** The provider's charges, one per authorization key, declined ones included. */
  public static final String CHARGES = "provider_charges";

  /** The provider's refunds, one per refund key. */
  public static final String REFUNDS = "provider_refunds";

  static final String SUCCEEDED = "succeeded";
  static final String FAILED = "failed";

  private final MongoCollection<Document> charges;
  private final MongoCollection<Document> refunds;
  private final Duration latency;
  private final double flakyFailureRate;
  private final DoubleSupplier draws;
  private final Clock clock;

  /**
   * @param draws uniform random numbers in [0, 1) that decide which calls of a flaky card fail
   */
  public SimulatedPaymentProvider(
      MongoDatabase database,
      Duration latency,
      double flakyFailureRate,
      DoubleSupplier draws,
      Clock clock) {
    this.charges = database.getCollection(CHARGES);
    this.refunds = database.getCollection(REFUNDS);
    this.latency = latency;
    this.flakyFailureRate = flakyFailureRate;
    this.draws = draws;
    this.clock = clock;
    charges.createIndex(
        Indexes.ascending("chargeId"), new IndexOptions().name("chargeId").unique(true));
    refunds.createIndex(Indexes.ascending("chargeId"), new IndexOptions().name("chargeId"));
  }

  @Override
  public ChargeResult authorize(String idempotencyKey, String paymentToken, Money amount) {
    pause();
    TransientFault fault = faultFor(TestCard.forToken(paymentToken));
    fault.raiseIf(TransientFault.BEFORE_EFFECT, "charge");
    Document charge = charges.find(eq("_id", idempotencyKey)).first();
    if (charge == null) {
      charge = recordCharge(idempotencyKey, paymentToken, amount);
    }
    fault.raiseIf(TransientFault.AFTER_EFFECT, "charge");
    return chargeResult(charge);
  }

  @Override
  public RefundResult refund(String idempotencyKey, String chargeId, Money amount) {
    pause();
    Document charge = charges.find(eq("chargeId", chargeId)).first();
    if (charge == null) {
      return new RefundResult.Rejected(
          RefundFailureReason.PAYMENT_NOT_FOUND, "no such charge: " + chargeId);
    }
    Optional<TestCard> card = TestCard.forToken(charge.getString("token"));
    TransientFault fault = faultFor(card);
    fault.raiseIf(TransientFault.BEFORE_EFFECT, "refund");
    Document refund = refunds.find(eq("_id", idempotencyKey)).first();
    if (refund == null) {
      Optional<RefundResult.Rejected> rejection =
          refundRejection(
              card.map(TestCard::refundsFail).orElse(false),
              charge.getString("status"),
              money(charge),
              refundedSoFar(chargeId),
              amount);
      if (rejection.isPresent()) {
        return rejection.get();
      }
      refund = recordRefund(idempotencyKey, chargeId, amount);
    }
    fault.raiseIf(TransientFault.AFTER_EFFECT, "refund");
    return new RefundResult.Refunded(refund.getString("refundId"), money(refund));
  }

  /**
   * Why the provider refuses a new refund, if it does: the charge did not succeed, the card's
   * refunds fail, the currency differs, the amount is not positive, or it exceeds what is left.
   */
  static Optional<RefundResult.Rejected> refundRejection(
      boolean cardRefundsFail,
      String chargeStatus,
      Money charged,
      BigDecimal refundedSoFar,
      Money amount) {
    String detail = null;
    if (!SUCCEEDED.equals(chargeStatus)) {
      detail = "charge_not_succeeded";
    } else if (cardRefundsFail) {
      detail = "refund_failed";
    } else if (!charged.currency().equals(amount.currency())) {
      detail = "currency_mismatch";
    } else if (amount.amount().signum() <= 0) {
      detail = "invalid_amount";
    } else if (refundedSoFar.add(amount.amount()).compareTo(charged.amount()) > 0) {
      detail = "amount_too_large";
    }
    return Optional.ofNullable(detail)
        .map(d -> new RefundResult.Rejected(RefundFailureReason.PROVIDER_REJECTED, d));
  }

  private TransientFault faultFor(Optional<TestCard> card) {
    return card.filter(TestCard::flaky).isPresent()
        ? TransientFault.of(draws.getAsDouble(), flakyFailureRate)
        : TransientFault.NONE;
  }

  private Document recordCharge(String idempotencyKey, String paymentToken, Money amount) {
    Optional<ChargeResult.Declined> decline = TestCard.decline(paymentToken, amount);
    Document charge =
        new Document("_id", idempotencyKey)
            .append("chargeId", "ch_" + compactUuid())
            .append("token", paymentToken)
            .append("amount", amount.amount().toPlainString())
            .append("currency", amount.currency())
            .append("status", decline.isPresent() ? FAILED : SUCCEEDED)
            .append("declineReason", decline.map(d -> d.reason().name()).orElse(null))
            .append("declineDetail", decline.map(ChargeResult.Declined::detail).orElse(null))
            .append("createdAt", Date.from(clock.instant()));
    return insertOrRead(charges, charge);
  }

  private Document recordRefund(String idempotencyKey, String chargeId, Money amount) {
    Document refund =
        new Document("_id", idempotencyKey)
            .append("refundId", "re_" + compactUuid())
            .append("chargeId", chargeId)
            .append("amount", amount.amount().toPlainString())
            .append("currency", amount.currency())
            .append("createdAt", Date.from(clock.instant()));
    return insertOrRead(refunds, refund);
  }

  /** Inserts, or, if a concurrent call with the same key won, returns what that call recorded. */
  private static Document insertOrRead(MongoCollection<Document> collection, Document document) {
    try {
      collection.insertOne(document);
      return document;
    } catch (MongoWriteException e) {
      if (e.getError().getCategory() != ErrorCategory.DUPLICATE_KEY) {
        throw e;
      }
      Document winner = collection.find(eq("_id", document.get("_id"))).first();
      if (winner == null) {
        throw e;
      }
      return winner;
    }
  }

  private BigDecimal refundedSoFar(String chargeId) {
    BigDecimal total = BigDecimal.ZERO;
    for (Document refund : refunds.find(eq("chargeId", chargeId))) {
      total = total.add(new BigDecimal(refund.getString("amount")));
    }
    return total;
  }

  private static ChargeResult chargeResult(Document charge) {
    if (SUCCEEDED.equals(charge.getString("status"))) {
      return new ChargeResult.Authorized(charge.getString("chargeId"), money(charge));
    }
    return new ChargeResult.Declined(
        DeclineReason.valueOf(charge.getString("declineReason")),
        charge.getString("declineDetail"));
  }

  private static Money money(Document document) {
    return Money.of(document.getString("amount"), document.getString("currency"));
  }

  private static String compactUuid() {
    return UUID.randomUUID().toString().replace("-", "");
  }

  private void pause() {
    if (latency.isZero() || latency.isNegative()) {
      return;
    }
    try {
      Thread.sleep(latency.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ProviderUnavailableException(
          ProviderUnavailableException.Failure.FAILED, "interrupted calling the provider", e);
    }
  }
}
