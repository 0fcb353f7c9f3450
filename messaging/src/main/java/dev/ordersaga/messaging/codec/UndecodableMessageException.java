package dev.ordersaga.messaging.codec;

/**
 * A message that no retry can make readable. Consumers park it at once, with {@link #reason()} and
 * the message attached, instead of redelivering it.
 */
public final class UndecodableMessageException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /** What is wrong with the message. */
  public enum Reason {
    MALFORMED_JSON,
    MISSING_ENVELOPE_FIELD,
    /** An envelope field of the wrong JSON type, form or range (see {@code WireCodec#decode}). */
    INVALID_ENVELOPE_FIELD,
    UNKNOWN_TYPE,
    INVALID_PAYLOAD
  }

  private final Reason reason;

  public UndecodableMessageException(Reason reason, String message, Throwable cause) {
    super(reason + ": " + message, cause);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
