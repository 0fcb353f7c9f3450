package dev.ordersaga.messaging.rabbit;

/**
 * A message that does not count as sent: the broker did not confirm it, returned it as unroutable,
 * or the connection failed first. The caller keeps the message and sends it again.
 */
public final class PublishException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /** Why the message does not count as sent. */
  public enum Reason {
    UNROUTABLE,
    NACKED,
    TIMED_OUT,
    CONNECTION_LOST,
    INTERRUPTED
  }

  private final Reason reason;

  public PublishException(Reason reason, String message, Throwable cause) {
    super(message, cause);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
