package dev.ordersaga.messaging.rabbit;

/**
 * A handler's verdict that a message can never succeed: it is parked without further retries, with
 * {@link #reason()} in {@link ParkingHeaders#DETAIL} when the handler gave one.
 */
public class RejectedMessageException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final String reason;

  public RejectedMessageException(String message) {
    this(null, message);
  }

  /**
   * @param reason a short code for why, such as {@code UNKNOWN_SAGA}, or {@code null}
   */
  public RejectedMessageException(String reason, String message) {
    super(reason == null ? message : reason + ": " + message);
    this.reason = reason;
  }

  /** A short code for why, or {@code null}. */
  public String reason() {
    return reason;
  }
}
