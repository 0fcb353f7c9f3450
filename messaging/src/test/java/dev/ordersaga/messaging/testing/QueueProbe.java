package dev.ordersaga.messaging.testing;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.GetResponse;
import dev.ordersaga.messaging.Envelope;
import dev.ordersaga.messaging.Message;
import dev.ordersaga.messaging.codec.WireCodec;
import dev.ordersaga.messaging.rabbit.Topology;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import org.awaitility.Awaitility;

/**
 * Reads what arrives in one queue of a topology, for tests: for example the replies a participant
 * sends to {@code SagaChannels.EVENT_QUEUE}. Every message taken is kept, in arrival order.
 *
 * <pre>{@code
 * QueueProbe replies = new QueueProbe(connection, topology, SagaChannels.EVENT_QUEUE, codec);
 * PaymentAuthorized ok = replies.await(PaymentAuthorized.class, r -> r.orderId().equals(id));
 * }</pre>
 */
public final class QueueProbe {

  private final Connection connection;
  private final String queue;
  private final WireCodec codec;
  private final List<Envelope<Message>> received = new CopyOnWriteArrayList<>();

  public QueueProbe(Connection connection, Topology topology, String baseQueue, WireCodec codec) {
    this.connection = connection;
    this.queue = topology.name(baseQueue);
    this.codec = codec;
  }

  /** Waits up to 10 s until a message of that type matching the predicate has arrived. */
  public <T extends Message> T await(Class<T> type, Predicate<T> matching) {
    return awaitEnvelope(type, matching).payload();
  }

  public <T extends Message> Envelope<T> awaitEnvelope(Class<T> type, Predicate<T> matching) {
    return awaitEnvelope(type, matching, Duration.ofSeconds(10));
  }

  /** Waits up to {@code atMost} until a message of that type matching the predicate has arrived. */
  @SuppressWarnings("unchecked")
  public <T extends Message> Envelope<T> awaitEnvelope(
      Class<T> type, Predicate<T> matching, Duration atMost) {
    return (Envelope<T>)
        Awaitility.await()
            .atMost(atMost)
            .until(
                () -> {
                  poll();
                  return received.stream()
                      .filter(e -> type.isInstance(e.payload()))
                      .filter(e -> matching.test(type.cast(e.payload())))
                      .findFirst()
                      .orElse(null);
                },
                found -> found != null);
  }

  /**
   * Waits up to {@code atMost} until a message of that type for the saga matching the predicate has
   * arrived, and returns the newest such message (a retried command's latest attempt).
   */
  @SuppressWarnings("unchecked")
  public <T extends Message> Envelope<T> awaitLatest(
      Class<T> type, String sagaId, Predicate<Envelope<Message>> matching, Duration atMost) {
    return (Envelope<T>)
        Awaitility.await()
            .atMost(atMost)
            .until(
                () -> {
                  poll();
                  return received.stream()
                      .filter(e -> type.isInstance(e.payload()))
                      .filter(e -> e.sagaId().equals(sagaId))
                      .filter(matching)
                      .reduce((first, second) -> second)
                      .orElse(null);
                },
                found -> found != null);
  }

  /** Everything taken so far plus whatever is in the queue now, in arrival order. */
  public List<Envelope<Message>> received() {
    poll();
    return List.copyOf(received);
  }

  /** The payloads of one type received so far. */
  public <T extends Message> List<T> received(Class<T> type) {
    return received().stream()
        .map(Envelope::payload)
        .filter(type::isInstance)
        .map(type::cast)
        .toList();
  }

  private synchronized void poll() {
    try (Channel channel = connection.createChannel()) {
      GetResponse response;
      while ((response = channel.basicGet(queue, true)) != null) {
        received.add(codec.decode(response.getBody()));
      }
    } catch (IOException | TimeoutException e) {
      throw new IllegalStateException("cannot read " + queue, e);
    }
  }
}
