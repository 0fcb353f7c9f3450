package dev.ordersaga.messaging.config;

import dev.ordersaga.messaging.rabbit.MessageHandler;

/**
 * A service's wish to consume one queue: declare it as a bean and messaging subscribes it once the
 * application has started, and stops it first on shutdown.
 *
 * @param queue the queue's constant, such as {@code PaymentChannels.COMMAND_QUEUE}
 * @param workers how many threads handle the queue's messages at once, each saga's messages on one
 *     of them in the order they arrived; 0 takes {@code messaging.rabbit.consumers}
 * @param inbox whether the consumer records each handled message id in the service's inbox and
 *     skips a message it already holds (two store operations a message); a handler that is
 *     idempotent by itself, because it keeps its effect and reply keyed in its own document, does
 *     not need it
 */
public record QueueListener(String queue, MessageHandler handler, int workers, boolean inbox) {

  public QueueListener {
    if (workers < 0) {
      throw new IllegalArgumentException("workers must be 0 (the default) or more: " + workers);
    }
  }

  /** Consumes a queue with the default number of workers and the inbox. */
  public QueueListener(String queue, MessageHandler handler) {
    this(queue, handler, 0, true);
  }

  /** The same listener without the inbox, for a handler that is idempotent by itself. */
  public QueueListener withoutInbox() {
    return new QueueListener(queue, handler, workers, false);
  }

  /** The same listener with {@code count} workers. */
  public QueueListener withWorkers(int count) {
    return new QueueListener(queue, handler, count, inbox);
  }
}
