package dev.ordersaga.messaging.config;

import dev.ordersaga.messaging.rabbit.MessageHandler;

/**
 * A service's wish to consume one queue: declare it as a bean and messaging subscribes it once the
 * application has started, and stops it first on shutdown.
 *
 * @param queue the queue's constant, such as {@code PaymentChannels.COMMAND_QUEUE}
 */
public record QueueListener(String queue, MessageHandler handler) {}
