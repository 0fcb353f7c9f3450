package dev.ordersaga.messaging.rabbit;

/**
 * Thrown by a handler for a message that came before what it belongs to (a saga's reply or request
 * before the saga's start, still queued behind others or delayed by a failover): it cannot be
 * handled yet, and nothing is wrong with it. The consumer puts it back at the end of its queue
 * after a backoff, behind what is queued now, without spending the queue's delivery limit, for as
 * long as {@link MessageConsumer#EARLY_MESSAGE_PATIENCE} from its first try; then it is parked like
 * any message that keeps failing.
 */
public class EarlyMessageException extends RuntimeException {

  public EarlyMessageException(String message) {
    super(message);
  }
}
