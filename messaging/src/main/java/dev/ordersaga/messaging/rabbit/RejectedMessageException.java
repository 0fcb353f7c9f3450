package dev.ordersaga.messaging.rabbit;

/** A handler's verdict that a message can never succeed: it is parked without further retries. */
public class RejectedMessageException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public RejectedMessageException(String message) {
    super(message);
  }
}
