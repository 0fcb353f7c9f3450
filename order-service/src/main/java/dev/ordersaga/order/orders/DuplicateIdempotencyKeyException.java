package dev.ordersaga.order.orders;

/**
 * Another order already holds this {@code Idempotency-Key} (its unique index refused the insert).
 */
public final class DuplicateIdempotencyKeyException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public DuplicateIdempotencyKeyException(String idempotencyKey, Throwable cause) {
    super("an order already holds Idempotency-Key " + idempotencyKey, cause);
  }
}
