package dev.ordersaga.order.shopper;

/** The request body is larger than {@code order-service.api.max-body-size}; answered 413. */
final class BodyTooLargeException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  BodyTooLargeException(long maxBytes) {
    super("the request body must be at most " + maxBytes + " bytes");
  }
}
