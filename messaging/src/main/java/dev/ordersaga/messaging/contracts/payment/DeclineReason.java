package dev.ordersaga.messaging.contracts.payment;

/** Why a payment was declined. */
public enum DeclineReason {
  INSUFFICIENT_FUNDS,
  CARD_EXPIRED,
  SUSPECTED_FRAUD,
  LIMIT_EXCEEDED,
  PROVIDER_REJECTED
}
