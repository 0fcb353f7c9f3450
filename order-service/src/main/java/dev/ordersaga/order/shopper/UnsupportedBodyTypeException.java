package dev.ordersaga.order.shopper;

/** A request body that is not JSON; answered 415. */
final class UnsupportedBodyTypeException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  UnsupportedBodyTypeException(String contentType) {
    super("the request body must be application/json, was " + contentType);
  }
}
