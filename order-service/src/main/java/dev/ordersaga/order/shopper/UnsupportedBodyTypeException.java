package dev.ordersaga.order.shopper;

/** A request body that is not declared as JSON in UTF-8; answered 415 naming Content-Type. */
final class UnsupportedBodyTypeException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final String problem;

  UnsupportedBodyTypeException(String problem) {
    super("Content-Type " + problem);
    this.problem = problem;
  }

  /** What is wrong with the Content-Type. */
  String problem() {
    return problem;
  }
}
