package dev.ordersaga.messaging.rabbit;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.BuiltinExchangeType;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ShutdownSignalException;
import dev.ordersaga.messaging.contracts.notification.NotificationChannels;
import dev.ordersaga.messaging.contracts.order.OrderChannels;
import dev.ordersaga.messaging.contracts.payment.PaymentChannels;
import dev.ordersaga.messaging.contracts.saga.SagaChannels;
import dev.ordersaga.messaging.contracts.shipping.ShippingChannels;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The RabbitMQ topology of the order saga, declared the same way by every service.
 *
 * <ul>
 *   <li>{@value #COMMANDS_EXCHANGE} (topic): commands, routed by wire type ({@code payment.#} goes
 *       to payment-service).
 *   <li>{@value #EVENTS_EXCHANGE} (topic): events and replies, all routed to saga-engine.
 *   <li>{@value #PARKED_EXCHANGE} (direct): parked messages, routed by the name of the queue they
 *       came from to {@code <queue>.parked}; the broker dead-letters to it.
 *   <li>{@value #PARKING_EXCHANGE} (topic, bound to the parked exchange with {@code #}): where a
 *       consumer parks a message, with the name of its queue as routing key. A topic exchange, so
 *       that a service's broker user may park only into its own queue's parking queue (RabbitMQ's
 *       topic permissions, see {@link BrokerUsers}).
 * </ul>
 *
 * <p>Consumer queues are durable quorum queues with {@code x-delivery-limit} and a dead-letter
 * route to their parking queue. Every service declares the whole topology at start and after a
 * reconnect: declaring is idempotent, and a command published before its consumer ever ran still
 * finds its queue instead of being returned as unroutable.
 *
 * <p>A namespace, empty in production, prefixes every name; tests use it to isolate themselves on a
 * shared broker.
 */
public final class Topology {

  private static final Logger log = LoggerFactory.getLogger(Topology.class);

  public static final String COMMANDS_EXCHANGE = "order-saga.commands";
  public static final String EVENTS_EXCHANGE = "order-saga.events";
  public static final String PARKED_EXCHANGE = "order-saga.parked";
  public static final String PARKING_EXCHANGE = "order-saga.parking";
  public static final String PARKED_SUFFIX = ".parked";

  /** Deliveries of one message before the consumer parks it, unless configured otherwise. */
  public static final int DEFAULT_MAX_DELIVERIES = 5;

  /** A consumer queue, the exchange it listens on and its binding. */
  public record QueueSpec(String baseName, String exchange, String binding) {}

  public static final List<QueueSpec> ORDER_SAGA_QUEUES =
      List.of(
          new QueueSpec(
              OrderChannels.COMMAND_QUEUE, COMMANDS_EXCHANGE, OrderChannels.COMMAND_BINDING),
          new QueueSpec(
              PaymentChannels.COMMAND_QUEUE, COMMANDS_EXCHANGE, PaymentChannels.COMMAND_BINDING),
          new QueueSpec(
              ShippingChannels.COMMAND_QUEUE, COMMANDS_EXCHANGE, ShippingChannels.COMMAND_BINDING),
          new QueueSpec(
              NotificationChannels.COMMAND_QUEUE,
              COMMANDS_EXCHANGE,
              NotificationChannels.COMMAND_BINDING),
          new QueueSpec(SagaChannels.EVENT_QUEUE, EVENTS_EXCHANGE, SagaChannels.EVENT_BINDING));

  private final String namespace;
  private final int maxDeliveries;
  private final List<QueueSpec> queues;

  public Topology(String namespace, int maxDeliveries, List<QueueSpec> queues) {
    if (maxDeliveries < 1) {
      throw new IllegalArgumentException("maxDeliveries must be 1 or more");
    }
    this.namespace = namespace == null ? "" : namespace;
    this.maxDeliveries = maxDeliveries;
    this.queues = List.copyOf(queues);
  }

  public static Topology orderSaga(String namespace, int maxDeliveries) {
    return new Topology(namespace, maxDeliveries, ORDER_SAGA_QUEUES);
  }

  /** The name on the broker of an exchange or queue given by its constant. */
  public String name(String baseName) {
    return namespace + baseName;
  }

  public String parkingQueue(String baseQueueName) {
    return name(baseQueueName + PARKED_SUFFIX);
  }

  public String namespace() {
    return namespace;
  }

  /** Deliveries of one message before the consumer parks it with the error attached. */
  public int maxDeliveries() {
    return maxDeliveries;
  }

  public List<QueueSpec> queues() {
    return queues;
  }

  /**
   * Declares exchanges, queues, parking queues and bindings; safe to repeat. A broker user that may
   * not declare them (a participant's own user, see {@link BrokerUsers}) checks instead that they
   * are all there, declared by saga-engine or the broker's definitions.
   *
   * @throws IllegalStateException when the user may not declare the topology and part of it is
   *     missing
   */
  public void declare(Connection connection) {
    try (Channel channel = connection.createChannel()) {
      declare(channel);
      return;
    } catch (IOException e) {
      if (!accessRefused(e)) {
        throw new UncheckedIOException("cannot declare the RabbitMQ topology", e);
      }
      log.info(
          "broker user may not declare the topology ({}); checking that it is there",
          String.valueOf(e.getCause() == null ? e.getMessage() : e.getCause().getMessage()));
    } catch (TimeoutException e) {
      throw new IllegalStateException("timed out declaring the RabbitMQ topology", e);
    } catch (com.rabbitmq.client.AlreadyClosedException e) {
      // closing the channel after a refused declaration: handled below
    }
    check(connection);
  }

  /** Checks, without declaring anything, that every exchange and queue exists. */
  private void check(Connection connection) {
    List<String[]> entities = new java.util.ArrayList<>();
    for (String exchange :
        List.of(COMMANDS_EXCHANGE, EVENTS_EXCHANGE, PARKED_EXCHANGE, PARKING_EXCHANGE)) {
      entities.add(new String[] {"exchange", name(exchange)});
    }
    for (QueueSpec queue : queues) {
      entities.add(new String[] {"queue", name(queue.baseName())});
      entities.add(new String[] {"queue", parkingQueue(queue.baseName())});
    }
    for (String[] entity : entities) {
      try (Channel channel = connection.createChannel()) {
        if (entity[0].equals("exchange")) {
          channel.exchangeDeclarePassive(entity[1]);
        } else {
          channel.queueDeclarePassive(entity[1]);
        }
      } catch (IOException e) {
        throw new IllegalStateException(
            entity[0]
                + " "
                + entity[1]
                + " does not exist, and this broker user may not declare it: start saga-engine"
                + " first (it declares the topology) or load the broker's definitions"
                + " (compose/rabbitmq/)",
            e);
      } catch (TimeoutException e) {
        throw new IllegalStateException("timed out checking the RabbitMQ topology", e);
      }
    }
  }

  private static boolean accessRefused(IOException e) {
    return e.getCause() instanceof ShutdownSignalException shutdown
        && shutdown.getReason() instanceof AMQP.Channel.Close close
        && close.getReplyCode() == AMQP.ACCESS_REFUSED;
  }

  public void declare(Channel channel) throws IOException {
    channel.exchangeDeclare(name(COMMANDS_EXCHANGE), BuiltinExchangeType.TOPIC, true);
    channel.exchangeDeclare(name(EVENTS_EXCHANGE), BuiltinExchangeType.TOPIC, true);
    channel.exchangeDeclare(name(PARKED_EXCHANGE), BuiltinExchangeType.DIRECT, true);
    channel.exchangeDeclare(name(PARKING_EXCHANGE), BuiltinExchangeType.TOPIC, true);
    channel.exchangeBind(name(PARKED_EXCHANGE), name(PARKING_EXCHANGE), "#");
    for (QueueSpec queue : queues) {
      String parked = parkingQueue(queue.baseName());
      channel.queueDeclare(parked, true, false, false, Map.of("x-queue-type", "quorum"));
      channel.queueBind(parked, name(PARKED_EXCHANGE), name(queue.baseName()));
      channel.queueDeclare(name(queue.baseName()), true, false, false, queueArguments(queue));
      channel.queueBind(name(queue.baseName()), name(queue.exchange()), queue.binding());
    }
  }

  /** Deletes everything this topology declares; for tests with a namespace of their own. */
  public void delete(Connection connection) throws IOException, TimeoutException {
    if (namespace.isEmpty()) {
      throw new IllegalStateException("refusing to delete the production topology");
    }
    try (Channel channel = connection.createChannel()) {
      for (QueueSpec queue : queues) {
        channel.queueDelete(name(queue.baseName()));
        channel.queueDelete(parkingQueue(queue.baseName()));
      }
      channel.exchangeDelete(name(COMMANDS_EXCHANGE));
      channel.exchangeDelete(name(EVENTS_EXCHANGE));
      channel.exchangeDelete(name(PARKING_EXCHANGE));
      channel.exchangeDelete(name(PARKED_EXCHANGE));
    }
  }

  /** The arguments every declaration of a consumer queue carries. */
  Map<String, Object> queueArguments(QueueSpec queue) {
    Map<String, Object> arguments = new HashMap<>();
    arguments.put("x-queue-type", "quorum");
    // The consumer parks a failing message itself, with the error attached, on its last allowed
    // delivery. The broker's limit sits one above as a safety net for a message that kills its
    // consumer before it can park it: the broker then dead-letters it to the same parking queue.
    arguments.put("x-delivery-limit", maxDeliveries);
    arguments.put("x-dead-letter-exchange", name(PARKED_EXCHANGE));
    arguments.put("x-dead-letter-routing-key", name(queue.baseName()));
    return arguments;
  }
}
