package dev.ordersaga.payment.provider;

import static com.mongodb.client.model.Filters.eq;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.Updates;
import dev.ordersaga.messaging.contracts.Money;
import dev.ordersaga.messaging.contracts.payment.DeclineReason;
import dev.ordersaga.messaging.contracts.payment.RefundFailureReason;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.DoubleSupplier;
import org.bson.Document;
import org.bson.conversions.Bson;

/**
 * A payment provider simulated in process, answering by {@link TestCard} token after a configured
 * latency. Like a real provider it keeps its own ledger (collection {@value #CHARGES} of the
 * service's database, so it survives a restart) and is idempotent by key: a repeated key returns
 * the recorded charge or refund, declines included.
 *
 * <p>Each charge is one document ({@code _id} = the authorization key, unique {@code chargeId}),
 * holding its refunds ({@code refunds}, each with its key) and their total ({@code refunded}). A
 * refund is one compare-and-set of that document on {@code (_id, version)}, through the unique
 * index {@value #CHARGE_VERSION_INDEX}: it is recorded only if nobody changed the charge since it
 * was read, so concurrent refunds (threads or instances) never take more than the charge, and two
 * calls under one key make one refund. Every store access is by {@code _id}, by the unique {@code
 * chargeId}, or by that unique pair, in a flat filter: nothing scans, however many charges there
 * are. Calls hold no lock, so calls about different charges overlap their latency.
 */
public final class SimulatedPaymentProvider implements PaymentProvider {

  /** The provider's charges, one per authorization key, declined ones included, with refunds. */
  public static final String CHARGES = "provider_charges";

  /** On a charge of {@link TestCard#REFUND_FAILS_ONCE}: how many of its refunds were rejected. */
  private static final String REFUSED_REFUNDS = "refusedRefunds";

  /**
   * Unique index on {@code (_id, version)}: what makes the refund's compare-and-set a keyed update
   * on the embedded store (which uses a unique index only for an exact match on all its keys).
   */
  static final String CHARGE_VERSION_INDEX = "_id_version";

  static final String SUCCEEDED = "succeeded";
  static final String FAILED = "failed";

  /** Compare-and-set rounds a refund tries before giving up as a transient failure. */
  private static final int REFUND_ROUNDS = 20;

  private final MongoCollection<Document> charges;
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
    this.latency = latency;
    this.flakyFailureRate = flakyFailureRate;
    this.draws = draws;
    this.clock = clock;
    charges.createIndex(
        Indexes.ascending("chargeId"), new IndexOptions().name("chargeId").unique(true));
    charges.createIndex(
        Indexes.ascending("_id", "version"),
        new IndexOptions().name(CHARGE_VERSION_INDEX).unique(true));
  }

  @Override
  public ChargeResult authorize(String idempotencyKey, String paymentToken, Money amount) {
    pause();
    TransientFault fault = faultFor(TestCard.forToken(paymentToken));
    fault.raiseIf(TransientFault.BEFORE_EFFECT, "charge");
    // insert first: a charge not seen before (the common case) costs one write; a repeat of its
    // key finds the first charge when the insert meets it
    Document charge = recordCharge(idempotencyKey, paymentToken, amount);
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
    Document refund;
    for (int round = 1; ; round++) {
      Optional<Document> made = refundUnder(charge, idempotencyKey);
      if (made.isPresent()) {
        refund = made.get();
        break;
      }
      boolean firstOfOnce =
          card.map(TestCard::firstRefundFails).orElse(false)
              && charge.getInteger(REFUSED_REFUNDS, 0) == 0;
      Optional<RefundResult.Rejected> rejection =
          refundRejection(
              card.map(TestCard::refundsFail).orElse(false) || firstOfOnce,
              charge.getString("status"),
              money(charge),
              refunded(charge),
              amount);
      if (rejection.isPresent()) {
        if (firstOfOnce) {
          // the fault is fixed from now on: the next refund of this charge is made
          charges.updateOne(eq("_id", charge.get("_id")), Updates.inc(REFUSED_REFUNDS, 1));
        }
        return rejection.get();
      }
      refund = newRefund(idempotencyKey, amount);
      if (recordRefund(charge, refund, amount)) {
        break;
      }
      if (round == REFUND_ROUNDS) {
        throw new ProviderUnavailableException(
            ProviderUnavailableException.Failure.FAILED,
            "simulated provider: charge " + chargeId + " kept changing; refund not made",
            null);
      }
      // another refund of this charge came first: judge this one again against it
      charge = charges.find(eq("_id", charge.get("_id"))).first();
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

  /** The refunds recorded on a document of {@value #CHARGES}, oldest first. */
  public static List<Document> refunds(Document charge) {
    return charge.getList("refunds", Document.class, List.of());
  }

  /** The total refunded of a charge document. */
  static BigDecimal refunded(Document charge) {
    String refunded = charge.getString("refunded");
    return refunded == null ? BigDecimal.ZERO : new BigDecimal(refunded);
  }

  private static Optional<Document> refundUnder(Document charge, String idempotencyKey) {
    return refunds(charge).stream()
        .filter(refund -> idempotencyKey.equals(refund.getString("key")))
        .findFirst();
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
            .append("createdAt", Date.from(clock.instant()))
            .append("refunded", BigDecimal.ZERO.toPlainString())
            .append("refunds", List.of())
            .append("version", 0);
    try {
      charges.insertOne(charge);
      return charge;
    } catch (MongoWriteException e) {
      if (e.getError().getCategory() != ErrorCategory.DUPLICATE_KEY) {
        throw e;
      }
      // a concurrent call with the same key recorded it first: answer what that call recorded
      Document winner = charges.find(eq("_id", idempotencyKey)).first();
      if (winner == null) {
        throw e;
      }
      return winner;
    }
  }

  private Document newRefund(String idempotencyKey, Money amount) {
    return new Document("key", idempotencyKey)
        .append("refundId", "re_" + compactUuid())
        .append("amount", amount.amount().toPlainString())
        .append("currency", amount.currency())
        .append("createdAt", Date.from(clock.instant()));
  }

  /**
   * Adds a refund to the charge as read, in one compare-and-set on its {@code (_id, version)}.
   *
   * @return false, writing nothing, if the charge changed since it was read
   */
  private boolean recordRefund(Document charge, Document refund, Money amount) {
    Object version = charge.get("version");
    Bson sameAsRead = new Document("_id", charge.get("_id")).append("version", version);
    return charges
            .updateOne(
                sameAsRead,
                Updates.combine(
                    Updates.set("refunded", refunded(charge).add(amount.amount()).toPlainString()),
                    Updates.push("refunds", refund),
                    Updates.set("version", version == null ? 1 : charge.getInteger("version") + 1)))
            .getModifiedCount()
        == 1;
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
