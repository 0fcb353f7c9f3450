package dev.ordersaga.messaging.rabbit;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.GetResponse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;

/**
 * The parking queues, for operators: look at what is parked and why, and re-drive parked messages
 * to the queue they came from. A re-driven message keeps its body, id and headers (so its inbox
 * entry, if any, still de-duplicates it) and gets a fresh delivery count.
 */
public final class ParkingLot {

  /** A parked message as an operator sees it, without taking it off the queue. */
  public record Parked(String messageId, String type, Map<String, Object> headers, byte[] body) {}

  /** How long a peek waits for the broker to make the peeked messages ready again. */
  static final Duration RETURN_WAIT = Duration.ofSeconds(5);

  /**
   * Held by a peek until the messages it looked at are ready again, and by a re-drive: the broker
   * counts only ready messages, so a count taken meanwhile would miss the ones held.
   */
  private final ReentrantReadWriteLock holding = new ReentrantReadWriteLock();

  private final Connection connection;
  private final Topology topology;
  private final ConfirmingPublisher publisher;

  public ParkingLot(Connection connection, Topology topology, ConfirmingPublisher publisher) {
    this.connection = connection;
    this.topology = topology;
    this.publisher = publisher;
  }

  /**
   * Up to {@code limit} messages parked from a queue, oldest first; they stay parked. The broker
   * makes peeked messages ready again asynchronously (a quorum queue applies the return through its
   * log), so this waits, up to {@link #RETURN_WAIT}, until the queue holds as many ready messages
   * as before: a re-drive right after a peek then finds them.
   *
   * <p>RabbitMQ 3.x puts a quorum queue's returned messages at its back, so peeking at fewer than
   * all of them moves those behind the rest, and a later {@link #redrive} (which takes from the
   * front) would take others. To keep the order, peek at every parked message and keep the first
   * ones (saga-engine's {@code ParkedController} does, up to a cap).
   */
  public List<Parked> peek(String baseQueue, int limit) {
    holding.writeLock().lock();
    try {
      return peekAndWait(topology.parkingQueue(baseQueue), limit);
    } finally {
      holding.writeLock().unlock();
    }
  }

  /**
   * Runs a count of parking queues (the broker's ready messages) when no peek or re-drive of this
   * instance holds parked messages, so the count includes every message parked.
   */
  public <T> T counted(Supplier<T> count) {
    holding.readLock().lock();
    try {
      return count.get();
    } finally {
      holding.readLock().unlock();
    }
  }

  private List<Parked> peekAndWait(String queue, int limit) {
    // one channel counts the ready messages; the peek's own channel returns them when it closes
    try (Channel counting = connection.createChannel()) {
      long readyBefore = counting.queueDeclarePassive(queue).getMessageCount();
      List<Parked> parked = peekReturning(queue, limit);
      long giveUpAt = System.nanoTime() + RETURN_WAIT.toNanos();
      while (!parked.isEmpty()
          && counting.queueDeclarePassive(queue).getMessageCount() < readyBefore
          && System.nanoTime() < giveUpAt) {
        LockSupport.parkNanos(Duration.ofMillis(5).toNanos());
      }
      return parked;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + queue, e);
    } catch (TimeoutException e) {
      throw new IllegalStateException(e);
    }
  }

  private List<Parked> peekReturning(String queue, int limit) {
    List<Parked> parked = new ArrayList<>();
    try (Channel channel = connection.createChannel()) {
      channel.basicQos(limit);
      for (int i = 0; i < limit; i++) {
        GetResponse response = channel.basicGet(queue, false);
        if (response == null) {
          break;
        }
        parked.add(parked(response));
      }
      // closing the channel without acks returns every message to the parking queue, in order
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + queue, e);
    } catch (TimeoutException e) {
      throw new IllegalStateException(e);
    }
    return parked;
  }

  /**
   * Moves up to {@code limit} parked messages back to their queue, one at a time: each is removed
   * from the parking queue only after its re-publish is confirmed, so none is lost; a crash in
   * between leaves a copy in both, which the consumer's inbox absorbs. Takes them from the front of
   * the parking queue (see {@link #peek} for how a partial peek reorders it).
   *
   * @return the messages re-driven, in the order they went: exactly these, whatever a peek before
   *     showed
   */
  public List<Parked> redrive(String baseQueue, int limit) {
    holding.writeLock().lock();
    try {
      return redriveFrom(baseQueue, topology.parkingQueue(baseQueue), limit);
    } finally {
      holding.writeLock().unlock();
    }
  }

  private List<Parked> redriveFrom(String baseQueue, String queue, int limit) {
    List<Parked> moved = new ArrayList<>();
    try (Channel channel = connection.createChannel()) {
      while (moved.size() < limit) {
        GetResponse response = channel.basicGet(queue, false);
        if (response == null) {
          break;
        }
        AMQP.BasicProperties properties = response.getProps();
        Parked parked = parked(response);
        Map<String, Object> headers = AmqpHeaders.copyOf(properties);
        headers.put("x-redriven-from", queue);
        publisher.publish(
            "",
            topology.name(baseQueue),
            properties.builder().headers(headers).build(),
            response.getBody(),
            properties.getType() == null ? "unknown" : properties.getType());
        channel.basicAck(response.getEnvelope().getDeliveryTag(), false);
        moved.add(parked);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot re-drive " + queue, e);
    } catch (TimeoutException e) {
      throw new IllegalStateException(e);
    }
    return moved;
  }

  private static Parked parked(GetResponse response) {
    AMQP.BasicProperties properties = response.getProps();
    return new Parked(
        properties.getMessageId(),
        properties.getType(),
        properties.getHeaders() == null ? Map.of() : Map.copyOf(properties.getHeaders()),
        response.getBody());
  }
}
