package dev.ordersaga.messaging.rabbit;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.AlreadyClosedException;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import dev.ordersaga.messaging.Message;
import dev.ordersaga.messaging.codec.UndecodableMessageException;
import dev.ordersaga.messaging.codec.WireCodec;
import dev.ordersaga.messaging.inbox.Inbox;
import dev.ordersaga.messaging.tracing.MessageTracing;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Consumes queues of the {@link Topology} with manual acks and a bounded prefetch.
 *
 * <p>Each queue is handled by a number of worker threads: a delivery goes to the worker its saga id
 * hashes to, so one saga's messages are handled one at a time, in the order they arrived, while
 * different sagas' messages are handled at once (a slow handler of one saga does not hold up the
 * others). For each delivery: a body that does not decode is parked at once with the reason; with
 * an inbox, a message id the {@link Inbox} already holds is acked and skipped; otherwise the
 * handler runs, the id is recorded (with an inbox), and only then is the message acked. A failing
 * handler's message goes back to its queue after a {@link RedeliveryBackoff} (the queue counts
 * deliveries) and, on its last allowed delivery, is parked to {@code <queue>.parked} with the error
 * in {@link ParkingHeaders}. Other messages keep flowing meanwhile. If parking itself fails, the
 * message is requeued, never dropped.
 */
public final class MessageConsumer implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(MessageConsumer.class);
  private static final String DELIVERY_COUNT = "x-delivery-count";

  private final Connection connection;
  private final Topology topology;
  private final WireCodec codec;
  private final ConfirmingPublisher parkingPublisher;
  private final Inbox inbox;
  private final MessagingMetrics metrics;
  private final String serviceName;
  private final int prefetch;
  private final int defaultWorkers;
  private final Clock clock;
  private final RedeliveryBackoff backoff;
  private final MessageTracing tracing;
  private final List<Channel> channels = new CopyOnWriteArrayList<>();
  private final List<ExecutorService> workers = new CopyOnWriteArrayList<>();
  private volatile boolean closing;
  private final ScheduledExecutorService redelivery =
      Executors.newSingleThreadScheduledExecutor(
          runnable -> {
            Thread thread = new Thread(runnable, "messaging-redelivery");
            thread.setDaemon(true);
            return thread;
          });

  /**
   * How long a message that came early ({@link EarlyMessageException}) is tried again from its
   * first try before it is parked: longer than any queue ahead of it or a failover takes.
   */
  public static final Duration EARLY_MESSAGE_PATIENCE = Duration.ofMinutes(10);

  /** Header of a message queued again because it came early: its first try, epoch millis. */
  static final String EARLY_SINCE = "x-ordersaga-early-since";

  /** Header of a message queued again because it came early: its tries so far. */
  static final String EARLY_TRIES = "x-ordersaga-early-tries";

  public MessageConsumer(
      Connection connection,
      Topology topology,
      WireCodec codec,
      ConfirmingPublisher parkingPublisher,
      Inbox inbox,
      MessagingMetrics metrics,
      String serviceName,
      int prefetch,
      int defaultWorkers,
      RedeliveryBackoff backoff,
      Clock clock) {
    this(
        connection,
        topology,
        codec,
        parkingPublisher,
        inbox,
        metrics,
        serviceName,
        prefetch,
        defaultWorkers,
        backoff,
        clock,
        MessageTracing.NONE);
  }

  /**
   * @param tracing runs each handler in a consumer span, a child of the message's publish span
   */
  public MessageConsumer(
      Connection connection,
      Topology topology,
      WireCodec codec,
      ConfirmingPublisher parkingPublisher,
      Inbox inbox,
      MessagingMetrics metrics,
      String serviceName,
      int prefetch,
      int defaultWorkers,
      RedeliveryBackoff backoff,
      Clock clock,
      MessageTracing tracing) {
    this.tracing = tracing;
    this.connection = connection;
    this.topology = topology;
    this.codec = codec;
    this.parkingPublisher = parkingPublisher;
    this.inbox = inbox;
    this.metrics = metrics;
    this.serviceName = serviceName;
    this.prefetch = prefetch;
    if (defaultWorkers < 1) {
      throw new IllegalArgumentException("workers per queue must be 1 or more: " + defaultWorkers);
    }
    this.defaultWorkers = defaultWorkers;
    this.backoff = backoff;
    this.clock = clock;
  }

  /**
   * Starts consuming a queue of the topology with the default number of workers and the inbox.
   *
   * @param baseQueue the queue's constant, such as {@code PaymentChannels.COMMAND_QUEUE}; it also
   *     names this consumer in the inbox
   */
  public void subscribe(String baseQueue, MessageHandler handler) {
    subscribe(baseQueue, handler, defaultWorkers, true);
  }

  /**
   * Starts consuming a queue of the topology.
   *
   * @param baseQueue the queue's constant, such as {@code PaymentChannels.COMMAND_QUEUE}; it also
   *     names this consumer in the inbox
   * @param workerCount threads handling the queue's messages (each saga's on one of them); 0 for
   *     the default
   * @param useInbox whether to skip message ids the inbox holds and record those handled
   */
  public void subscribe(
      String baseQueue, MessageHandler handler, int workerCount, boolean useInbox) {
    int count = workerCount == 0 ? defaultWorkers : workerCount;
    String queue = topology.name(baseQueue);
    ExecutorService[] lanes = new ExecutorService[count];
    for (int i = 0; i < count; i++) {
      lanes[i] = Executors.newSingleThreadExecutor(daemon(queue + "-worker-" + i));
      workers.add(lanes[i]);
    }
    try {
      Channel channel = connection.createChannel();
      channel.basicQos(Math.max(prefetch, count));
      channel.basicConsume(
          queue,
          false,
          serviceName,
          new Delivery(channel, baseQueue, handler, lanes, useInbox ? inbox : null));
      channels.add(channel);
    } catch (IOException e) {
      throw new IllegalStateException("cannot consume " + queue, e);
    }
  }

  private static ThreadFactory daemon(String name) {
    return runnable -> {
      Thread thread = new Thread(runnable, name);
      thread.setDaemon(true);
      return thread;
    };
  }

  private final class Delivery extends DefaultConsumer {

    private final String baseQueue;
    private final String queue;
    private final MessageHandler handler;
    private final ExecutorService[] lanes;
    private final Inbox inbox;

    Delivery(
        Channel channel,
        String baseQueue,
        MessageHandler handler,
        ExecutorService[] lanes,
        Inbox inbox) {
      super(channel);
      this.baseQueue = baseQueue;
      this.queue = topology.name(baseQueue);
      metrics.consuming(queue);
      this.handler = handler;
      this.lanes = lanes;
      this.inbox = inbox;
    }

    /** Decodes the message and hands it to its saga's worker. */
    @Override
    public void handleDelivery(
        String consumerTag, Envelope delivery, AMQP.BasicProperties properties, byte[] body) {
      long tag = delivery.getDeliveryTag();
      int deliveries = deliveryCount(properties) + 1;
      long started = System.nanoTime();
      dev.ordersaga.messaging.Envelope<Message> envelope;
      try {
        envelope = codec.decode(body);
      } catch (UndecodableMessageException e) {
        log.warn("parking an undecodable message from {}: {}", queue, e.getMessage());
        park(tag, properties, body, MessagingMetrics.UNDECODABLE, e.reason().name(), e, deliveries);
        return;
      }
      ExecutorService lane = lanes[Math.floorMod(envelope.sagaId().hashCode(), lanes.length)];
      try {
        lane.execute(() -> handle(tag, properties, body, envelope, deliveries, started));
      } catch (RejectedExecutionException stopping) {
        // the consumer is closing: the message goes back to its queue with the channel
        log.debug("not handling {} {}: consumer closing", envelope.type(), envelope.messageId());
      }
    }

    private void handle(
        long tag,
        AMQP.BasicProperties properties,
        byte[] body,
        dev.ordersaga.messaging.Envelope<Message> envelope,
        int deliveries,
        long started) {
      if (closing) {
        return; // not acked: back to the queue when the channel closes
      }
      MDC.put("sagaId", envelope.sagaId());
      MDC.put("messageId", envelope.messageId());
      try {
        if (inbox != null && inbox.isProcessed(baseQueue, envelope.messageId())) {
          metrics.duplicate(queue);
          log.debug(
              "{} {} already handled; acking the duplicate", envelope.type(), envelope.messageId());
          ack(tag);
          return;
        }
        tracing.consume(envelope, queue, properties.getHeaders(), () -> handler.handle(envelope));
        if (inbox != null) {
          inbox.markProcessed(baseQueue, envelope.messageId());
        }
        ack(tag);
        metrics.consumed(queue, envelope.type(), Duration.ofNanos(System.nanoTime() - started));
      } catch (EarlyMessageException e) {
        early(tag, properties, body, envelope, e, deliveries);
      } catch (RejectedMessageException e) {
        metrics.failed(queue);
        log.warn(
            "handler rejected {} {}: {}", envelope.type(), envelope.messageId(), e.getMessage());
        park(tag, properties, body, MessagingMetrics.REJECTED, e.reason(), e, deliveries);
      } catch (Exception e) {
        metrics.failed(queue);
        if (deliveries >= topology.maxDeliveries()) {
          log.error(
              "{} {} failed on delivery {} of {}; parking it",
              envelope.type(),
              envelope.messageId(),
              deliveries,
              topology.maxDeliveries(),
              e);
          park(tag, properties, body, MessagingMetrics.DELIVERY_LIMIT, null, e, deliveries);
        } else {
          Duration delay = backoff.delayAfter(deliveries);
          log.warn(
              "{} {} failed on delivery {} of {}; back in its queue in {} ms: {}",
              envelope.type(),
              envelope.messageId(),
              deliveries,
              topology.maxDeliveries(),
              delay.toMillis(),
              e.toString());
          // the wait runs off the delivery thread, so the queue's other messages keep flowing
          try {
            redelivery.schedule(() -> requeue(tag), delay.toMillis(), TimeUnit.MILLISECONDS);
          } catch (RejectedExecutionException closing) {
            requeue(tag); // the consumer is closing: give the message back now
          }
        }
      } finally {
        MDC.remove("sagaId");
        MDC.remove("messageId");
      }
    }

    /**
     * A message that came too early goes to the end of its queue again after a backoff (a copy,
     * published and confirmed before the original is acked, with the time of its first try and its
     * tries so far in headers), until {@link #EARLY_MESSAGE_PATIENCE} has passed since its first
     * try; then it is parked.
     */
    private void early(
        long tag,
        AMQP.BasicProperties properties,
        byte[] body,
        dev.ordersaga.messaging.Envelope<Message> envelope,
        EarlyMessageException error,
        int deliveries) {
      Map<String, Object> headers = AmqpHeaders.copyOf(properties);
      long now = clock.millis();
      long since = headers.get(EARLY_SINCE) instanceof Number first ? first.longValue() : now;
      int tries = headers.get(EARLY_TRIES) instanceof Number n ? n.intValue() + 1 : 1;
      if (now - since > EARLY_MESSAGE_PATIENCE.toMillis()) {
        metrics.failed(queue);
        log.error(
            "{} {} still cannot be handled {} s after its first try ({} tries); parking it",
            envelope.type(),
            envelope.messageId(),
            (now - since) / 1000,
            tries,
            error);
        park(tag, properties, body, MessagingMetrics.DELIVERY_LIMIT, null, error, deliveries);
        return;
      }
      headers.put(EARLY_SINCE, since);
      headers.put(EARLY_TRIES, tries);
      Duration delay = backoff.delayAfter(tries);
      log.info(
          "{} {} came early ({}); to the end of its queue again in {} ms",
          envelope.type(),
          envelope.messageId(),
          error.getMessage(),
          delay.toMillis());
      AMQP.BasicProperties again = properties.builder().headers(headers).build();
      String type = properties.getType() == null ? "unknown" : properties.getType();
      Runnable requeueAtEnd =
          () -> {
            try {
              parkingPublisher.publish("", queue, again, body, type);
            } catch (RuntimeException e) {
              log.warn("cannot queue {} again; giving it back to its queue instead", queue, e);
              requeue(tag);
              return;
            }
            ack(tag);
          };
      try {
        redelivery.schedule(requeueAtEnd, delay.toMillis(), TimeUnit.MILLISECONDS);
      } catch (RejectedExecutionException closing) {
        requeue(tag); // the consumer is closing: give the message back now
      }
    }

    private void park(
        long tag,
        AMQP.BasicProperties properties,
        byte[] body,
        String reason,
        String detail,
        Exception error,
        int deliveries) {
      Map<String, Object> headers = AmqpHeaders.copyOf(properties);
      headers.put(ParkingHeaders.REASON, reason);
      if (detail != null) {
        headers.put(ParkingHeaders.DETAIL, detail);
      } else {
        headers.remove(ParkingHeaders.DETAIL);
      }
      headers.put(ParkingHeaders.EXCEPTION, error.getClass().getName());
      headers.put(ParkingHeaders.EXCEPTION_MESSAGE, bounded(String.valueOf(error.getMessage())));
      headers.put(ParkingHeaders.SERVICE, serviceName);
      headers.put(ParkingHeaders.PARKED_AT, clock.instant().toString());
      headers.put(ParkingHeaders.ORIGINAL_QUEUE, queue);
      headers.put(ParkingHeaders.DELIVERIES, deliveries);
      String type = properties.getType() == null ? "unknown" : properties.getType();
      try {
        parkingPublisher.publish(
            topology.name(Topology.PARKING_EXCHANGE),
            queue,
            properties.builder().headers(headers).build(),
            body,
            type);
      } catch (PublishException e) {
        log.error("cannot park a message from {}; requeueing it instead", queue, e);
        requeue(tag);
        return;
      }
      metrics.parked(queue, reason);
      ack(tag);
    }

    @Override
    public void handleCancel(String consumerTag) {
      log.error("the broker cancelled consuming {} (queue deleted?); nothing more arrives", queue);
    }

    private void ack(long tag) {
      try {
        getChannel().basicAck(tag, false);
      } catch (IOException | AlreadyClosedException e) {
        log.warn("ack on {} failed; the broker will deliver the message again", queue, e);
      }
    }

    private void requeue(long tag) {
      try {
        getChannel().basicNack(tag, false, true);
      } catch (IOException | AlreadyClosedException e) {
        log.warn("nack on {} failed; the broker will deliver the message again", queue, e);
      }
    }
  }

  /** At most 1,000 characters of a reason, for a header (the codec's reasons are shorter). */
  private static String bounded(String text) {
    return text.length() <= 1000 ? text : text.substring(0, 1000) + "...";
  }

  private static int deliveryCount(AMQP.BasicProperties properties) {
    Map<String, Object> headers = properties.getHeaders();
    Object count = headers == null ? null : headers.get(DELIVERY_COUNT);
    return count instanceof Number number ? number.intValue() : 0;
  }

  /**
   * Stops consuming: no new message is taken, a message being handled is finished (for up to 10 s),
   * and messages not yet acked go back to their queues.
   */
  @Override
  public void close() {
    closing = true;
    for (Channel channel : channels) {
      try {
        if (channel.isOpen()) {
          channel.basicCancel(serviceName);
        }
      } catch (IOException | AlreadyClosedException e) {
        log.debug("cannot cancel a consumer", e);
      }
    }
    for (ExecutorService lane : workers) {
      lane.shutdown();
    }
    for (ExecutorService lane : workers) {
      try {
        if (!lane.awaitTermination(10, TimeUnit.SECONDS)) {
          lane.shutdownNow();
        }
      } catch (InterruptedException e) {
        lane.shutdownNow();
        Thread.currentThread().interrupt();
      }
    }
    workers.clear();
    redelivery.shutdownNow();
    for (Channel channel : channels) {
      try {
        if (channel.isOpen()) {
          channel.close();
        }
      } catch (IOException | TimeoutException | AlreadyClosedException e) {
        log.debug("consumer channel already gone", e);
      }
    }
    channels.clear();
  }
}
