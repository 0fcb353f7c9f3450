package dev.ordersaga.messaging.web;

/**
 * A {@code cursor} parameter that this API did not issue for the query (see {@link SignedCursors});
 * every API answers it with a 400 naming {@code cursor}.
 */
public final class InvalidCursorException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /** The parameter a cursor comes in. */
  public static final String PARAMETER = "cursor";

  InvalidCursorException(String message) {
    super(message);
  }
}
