package dev.ordersaga.messaging.contracts.payment;

/** Why a refund failed. */
public enum RefundFailureReason {
  PROVIDER_UNAVAILABLE,
  PAYMENT_NOT_FOUND,
  PROVIDER_REJECTED
}
