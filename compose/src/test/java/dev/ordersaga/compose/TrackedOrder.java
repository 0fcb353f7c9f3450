package dev.ordersaga.compose;

import java.math.BigDecimal;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One order the crash test places, from its first POST to what the system says of it: whether and
 * when the POST was answered 201 (only then does the order count), its id and total from that
 * answer, and what the test saw of it since. Written by one load worker, read by the test after the
 * workers are done or by the final wait; fields are volatile for that hand-over.
 */
final class TrackedOrder {

  /** What the shopper asks for, and so how the order must end. */
  enum Kind {
    /** A good card to Korea: paid, shipped, APPROVED. */
    PAID_AND_SHIPPED("pm_card_visa", "KR"),
    /** A card the provider declines: REJECTED, PAYMENT_DECLINED, nothing charged. */
    DECLINED("pm_card_chargeDeclined", "KR"),
    /** Antarctica, where the carrier does not go: paid, refunded, REJECTED, SHIPMENT_FAILED. */
    UNDELIVERABLE("pm_card_visa", "AQ"),
    /**
     * Cancelled by the shopper right after placing: CANCELLED, or APPROVED when the cancellation
     * came after the shipment (order-service's contract).
     */
    CANCELLED("pm_card_visa", "KR");

    final String token;
    final String country;

    Kind(String token, String country) {
      this.token = token;
      this.country = country;
    }

    /** Whether a final order of this kind may end with this status and reason. */
    boolean allows(String status, String reason) {
      return switch (this) {
        case PAID_AND_SHIPPED -> status.equals("APPROVED");
        case DECLINED -> status.equals("REJECTED") && "PAYMENT_DECLINED".equals(reason);
        case UNDELIVERABLE -> status.equals("REJECTED") && "SHIPMENT_FAILED".equals(reason);
        case CANCELLED ->
            status.equals("APPROVED")
                || status.equals("CANCELLED") && "CANCELLED_BY_SHOPPER".equals(reason);
      };
    }

    String expected() {
      return switch (this) {
        case PAID_AND_SHIPPED -> "APPROVED";
        case DECLINED -> "REJECTED/PAYMENT_DECLINED";
        case UNDELIVERABLE -> "REJECTED/SHIPMENT_FAILED";
        case CANCELLED -> "CANCELLED/CANCELLED_BY_SHOPPER (or APPROVED if too late)";
      };
    }
  }

  /** Order statuses after which nothing changes. */
  static final Set<String> FINAL = ShopperClient.FINAL;

  final int sequence;
  final String idempotencyKey;
  final String shopper;
  final Kind kind;

  /** POST attempts that got no answer (refused, reset, timed out) or a 5xx. */
  final AtomicInteger unanswered = new AtomicInteger();

  volatile String orderId;
  volatile BigDecimal total;

  /** The launcher run (1 = the first start) in which the POST was answered 201. */
  volatile int answeredInRun;

  volatile long answeredAtMillis;

  /** Answered as a replay ({@code Idempotent-Replayed}): an earlier attempt had placed it. */
  volatile boolean replayed;

  /** A 4xx answer to the POST: the order was refused (the test only sends valid orders). */
  volatile String refusal;

  /** How the cancellation request was answered, for {@link Kind#CANCELLED}. */
  volatile String cancelAnswer;

  volatile String lastStatus = "";

  /** When the test first saw it final (millis since the test began), or -1. */
  volatile long finalSeenAtMillis = -1;

  /** The run in which a GET first answered 404 for this answered order, or 0. */
  volatile int missingSeenInRun;

  TrackedOrder(int sequence, String shopper, Kind kind) {
    this.sequence = sequence;
    this.idempotencyKey = "crash-" + sequence;
    this.shopper = shopper;
    this.kind = kind;
  }

  boolean answered() {
    return orderId != null;
  }

  boolean seenFinal() {
    return finalSeenAtMillis >= 0;
  }

  @Override
  public String toString() {
    return orderId
        + " ("
        + kind
        + ", key "
        + idempotencyKey
        + ", "
        + shopper
        + ", answered in run "
        + answeredInRun
        + (replayed ? " as a replay" : "")
        + ")";
  }
}
