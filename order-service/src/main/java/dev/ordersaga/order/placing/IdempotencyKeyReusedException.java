package dev.ordersaga.order.placing;

/** An {@code Idempotency-Key} already placed an order from a different request; answered 409. */
public final class IdempotencyKeyReusedException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public IdempotencyKeyReusedException(String idempotencyKey) {
    super(
        "Idempotency-Key "
            + idempotencyKey
            + " was already used for a different order request; use a new key for a new order");
  }
}
