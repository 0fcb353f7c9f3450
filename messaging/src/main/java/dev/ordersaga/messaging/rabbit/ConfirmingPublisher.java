package dev.ordersaga.messaging.rabbit;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.AlreadyClosedException;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.ConfirmListener;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.MessageProperties;
import com.rabbitmq.client.Return;
import com.rabbitmq.client.ShutdownSignalException;
import dev.ordersaga.messaging.Envelope;
import dev.ordersaga.messaging.codec.WireCodec;
import dev.ordersaga.messaging.tracing.MessageTracing;
import io.micrometer.tracing.Span;
import java.io.IOException;
import java.time.Duration;
import java.util.Date;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentNavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes persistent, mandatory messages and returns only once the broker has confirmed them. A
 * message returned as unroutable, nacked, not confirmed in time, or caught in a lost connection
 * raises {@link PublishException} and is counted; it never disappears silently. Safe for concurrent
 * callers: they share one confirm channel and wait for their own confirm.
 */
public final class ConfirmingPublisher implements AutoCloseable {

  /** Header that ties a returned message to the publish that sent it. */
  static final String PUBLISH_ID_HEADER = "x-publish-id";

  public static final String SAGA_ID_HEADER = "x-saga-id";
  public static final String REVISION_HEADER = "x-revision";

  private static final Logger log = LoggerFactory.getLogger(ConfirmingPublisher.class);

  private record Pending(String publishId, String type, CompletableFuture<Void> result) {}

  private final Topology topology;
  private final WireCodec codec;
  private final MessagingMetrics metrics;
  private final Duration confirmTimeout;
  private final String appId;
  private final MessageTracing tracing;
  private final Connection connection;
  private final Object publishLock = new Object();
  private ConfirmChannel current;

  public ConfirmingPublisher(
      Connection connection,
      Topology topology,
      WireCodec codec,
      MessagingMetrics metrics,
      Duration confirmTimeout,
      String appId) {
    this(connection, topology, codec, metrics, confirmTimeout, appId, MessageTracing.NONE);
  }

  /**
   * @param tracing records a producer span per message and puts its context in the message's
   *     headers
   */
  public ConfirmingPublisher(
      Connection connection,
      Topology topology,
      WireCodec codec,
      MessagingMetrics metrics,
      Duration confirmTimeout,
      String appId,
      MessageTracing tracing) {
    this.tracing = tracing;
    this.topology = topology;
    this.codec = codec;
    this.metrics = metrics;
    this.confirmTimeout = confirmTimeout;
    this.appId = appId;
    this.connection = connection;
    try {
      this.current = new ConfirmChannel(connection.createChannel());
    } catch (IOException e) {
      throw new IllegalStateException("cannot open a publisher channel", e);
    }
  }

  /**
   * Sends an envelope to the commands exchange (commands) or the events exchange (everything else),
   * routed by its wire type, and waits for the broker's confirm.
   *
   * @throws PublishException when the message does not count as sent
   */
  public void publish(Envelope<?> envelope) {
    publishAsync(envelope).await();
  }

  /**
   * Sends an envelope as {@link #publish(Envelope)} does without waiting for its confirm; {@link
   * Confirmation#await()} waits. Several messages sent this way share one wait for the broker.
   *
   * @throws PublishException when the message cannot be sent at all
   */
  public Confirmation publishAsync(Envelope<?> envelope) {
    String exchange =
        topology.name(envelope.isCommand() ? Topology.COMMANDS_EXCHANGE : Topology.EVENTS_EXCHANGE);
    Map<String, Object> headers = new HashMap<>();
    Span span = tracing.startPublish(envelope, exchange, headers);
    try {
      headers.put(SAGA_ID_HEADER, envelope.sagaId());
      headers.put(REVISION_HEADER, envelope.revision());
      AMQP.BasicProperties properties =
          MessageProperties.PERSISTENT_BASIC
              .builder()
              .contentType("application/json")
              .messageId(envelope.messageId())
              .type(envelope.type())
              .appId(appId)
              .timestamp(Date.from(envelope.occurredAt()))
              .headers(headers)
              .build();
      return send(exchange, envelope.type(), properties, codec.encode(envelope), envelope.type());
    } catch (RuntimeException e) {
      span.error(e);
      throw e;
    } finally {
      span.end();
    }
  }

  /** A message handed to the broker, not yet confirmed. */
  public final class Confirmation {
    private final ConfirmChannel target;
    private final Pending pending;

    private Confirmation(ConfirmChannel target, Pending pending) {
      this.target = target;
      this.pending = pending;
    }

    /**
     * Waits for the broker's confirm.
     *
     * @throws PublishException when the message does not count as sent
     */
    public void await() {
      ConfirmingPublisher.this.await(target, pending);
    }
  }

  /**
   * Sends a raw message, persistent and mandatory, and waits for its confirm. Used to park messages
   * and to re-drive parked ones.
   */
  public void publish(
      String exchange,
      String routingKey,
      AMQP.BasicProperties properties,
      byte[] body,
      String typeForMetrics) {
    send(exchange, routingKey, properties, body, typeForMetrics).await();
  }

  private Confirmation send(
      String exchange,
      String routingKey,
      AMQP.BasicProperties properties,
      byte[] body,
      String typeForMetrics) {
    String publishId = UUID.randomUUID().toString();
    Map<String, Object> headers = AmqpHeaders.copyOf(properties);
    headers.put(PUBLISH_ID_HEADER, publishId);
    AMQP.BasicProperties stamped = properties.builder().deliveryMode(2).headers(headers).build();
    Pending pending = new Pending(publishId, typeForMetrics, new CompletableFuture<>());
    ConfirmChannel target;
    synchronized (publishLock) {
      long sequence = -1;
      target = current;
      try {
        if (!target.channel.isOpen() && connection.isOpen()) {
          // closed by a channel error (a lost connection recovers the channel by itself)
          target = current = new ConfirmChannel(connection.createChannel());
        }
        sequence = target.channel.getNextPublishSeqNo();
        target.outstanding.put(sequence, pending);
        target.channel.basicPublish(exchange, routingKey, true, stamped, body);
      } catch (IOException | AlreadyClosedException e) {
        target.outstanding.remove(sequence);
        metrics.publishFailed(typeForMetrics, PublishException.Reason.CONNECTION_LOST.name());
        log.warn("{} not sent: {}", typeForMetrics, e.getMessage());
        throw new PublishException(
            PublishException.Reason.CONNECTION_LOST,
            "cannot publish " + typeForMetrics + ": " + e.getMessage(),
            e);
      }
    }
    metrics.published(typeForMetrics);
    return new Confirmation(target, pending);
  }

  private void await(ConfirmChannel target, Pending pending) {
    try {
      pending.result().get(confirmTimeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      PublishException failure = (PublishException) e.getCause();
      metrics.publishFailed(pending.type(), failure.reason().name());
      log.warn("{} not sent: {}", pending.type(), failure.getMessage());
      throw failure;
    } catch (TimeoutException e) {
      target.outstanding.values().remove(pending);
      metrics.publishFailed(pending.type(), PublishException.Reason.TIMED_OUT.name());
      log.warn("{} not confirmed within {}", pending.type(), confirmTimeout);
      throw new PublishException(
          PublishException.Reason.TIMED_OUT,
          pending.type() + " was not confirmed within " + confirmTimeout,
          e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      metrics.publishFailed(pending.type(), PublishException.Reason.INTERRUPTED.name());
      throw new PublishException(
          PublishException.Reason.INTERRUPTED, "interrupted awaiting a confirm", e);
    }
  }

  /**
   * One confirm channel and what it has in flight. Sequence numbers are per channel, so each
   * channel settles, and on shutdown fails, only its own messages.
   */
  private final class ConfirmChannel {

    private final Channel channel;
    private final ConcurrentNavigableMap<Long, Pending> outstanding = new ConcurrentSkipListMap<>();
    private final Set<String> returned = ConcurrentHashMap.newKeySet();

    ConfirmChannel(Channel channel) throws IOException {
      this.channel = channel;
      channel.confirmSelect();
      channel.addReturnListener(this::onReturn);
      channel.addConfirmListener(
          new ConfirmListener() {
            @Override
            public void handleAck(long deliveryTag, boolean multiple) {
              settle(deliveryTag, multiple, true);
            }

            @Override
            public void handleNack(long deliveryTag, boolean multiple) {
              settle(deliveryTag, multiple, false);
            }
          });
      channel.addShutdownListener(this::onShutdown);
    }

    private void onReturn(Return message) {
      Map<String, Object> headers = message.getProperties().getHeaders();
      Object publishId = headers == null ? null : headers.get(PUBLISH_ID_HEADER);
      if (publishId != null) {
        returned.add(publishId.toString());
      }
    }

    private void settle(long deliveryTag, boolean multiple, boolean acked) {
      Map<Long, Pending> settled =
          multiple ? outstanding.headMap(deliveryTag, true) : single(deliveryTag);
      for (Map.Entry<Long, Pending> entry : settled.entrySet()) {
        Pending pending = entry.getValue();
        outstanding.remove(entry.getKey());
        if (returned.remove(pending.publishId())) {
          metrics.returned(pending.type());
          pending
              .result()
              .completeExceptionally(
                  new PublishException(
                      PublishException.Reason.UNROUTABLE,
                      pending.type() + " is unroutable: no queue is bound for it",
                      null));
        } else if (acked) {
          metrics.confirmed(pending.type());
          pending.result().complete(null);
        } else {
          pending
              .result()
              .completeExceptionally(
                  new PublishException(
                      PublishException.Reason.NACKED,
                      "the broker refused " + pending.type() + " (nack)",
                      null));
        }
      }
    }

    private Map<Long, Pending> single(long deliveryTag) {
      Pending pending = outstanding.get(deliveryTag);
      return pending == null ? Map.of() : Map.of(deliveryTag, pending);
    }

    private void onShutdown(ShutdownSignalException cause) {
      for (Long sequence : outstanding.keySet()) {
        Pending pending = outstanding.remove(sequence);
        if (pending != null) {
          pending
              .result()
              .completeExceptionally(
                  new PublishException(
                      PublishException.Reason.CONNECTION_LOST,
                      "channel closed before " + pending.type() + " was confirmed",
                      cause));
        }
      }
      returned.clear();
      if (!cause.isInitiatedByApplication()) {
        log.warn("publisher channel closed: {}", cause.getMessage());
      }
    }
  }

  @Override
  public void close() {
    synchronized (publishLock) {
      closeChannel();
    }
  }

  private void closeChannel() {
    try {
      if (current.channel.isOpen()) {
        current.channel.close();
      }
    } catch (IOException | TimeoutException | AlreadyClosedException e) {
      log.debug("publisher channel already gone", e);
    }
  }
}
