package dev.ordersaga.messaging.rabbit;

import com.rabbitmq.client.AMQP;
import java.util.HashMap;
import java.util.Map;

/** Headers of a message as a map to change (a copy: the message's own stay as they are). */
final class AmqpHeaders {

  private AmqpHeaders() {}

  static Map<String, Object> copyOf(AMQP.BasicProperties properties) {
    return properties.getHeaders() == null
        ? new HashMap<>()
        : new HashMap<>(properties.getHeaders());
  }
}
