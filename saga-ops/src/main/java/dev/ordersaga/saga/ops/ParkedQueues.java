package dev.ordersaga.saga.ops;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ShutdownSignalException;
import dev.ordersaga.messaging.rabbit.ParkingLot;
import dev.ordersaga.messaging.rabbit.Topology;
import dev.ordersaga.messaging.web.ApiException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import org.springframework.http.HttpStatus;

/**
 * How many messages are parked from each of the topology's queues: a passive declare of each {@code
 * <queue>.parked}, which reads its count without creating or changing anything. A parking queue
 * that does not exist (deleted on the broker by hand) counts 0 and is reported as missing; a broker
 * that does not answer is a 503.
 */
final class ParkedQueues {

  /** AMQP's reply code for a queue that does not exist. */
  private static final int NOT_FOUND = 404;

  /**
   * One queue of the topology.
   *
   * @param parked messages ready in its parking queue (counted when no peek or re-drive of this
   *     engine holds any); 0 when the parking queue is missing
   * @param missing the parking queue does not exist on the broker
   */
  record QueueCount(String queue, String parkingQueue, long parked, boolean missing) {}

  /** Every queue, the ones with parked messages first (most first), then in topology order. */
  record Counts(List<QueueCount> queues, long total) {}

  private final Connection connection;
  private final Topology topology;
  private final ParkingLot parkingLot;

  ParkedQueues(Connection connection, Topology topology, ParkingLot parkingLot) {
    this.connection = connection;
    this.topology = topology;
    this.parkingLot = parkingLot;
  }

  /** One queue's count; 404 when its parking queue does not exist. */
  long count(String baseQueue) {
    return parkingLot.counted(() -> countOne(baseQueue));
  }

  private long countOne(String baseQueue) {
    String parking = topology.parkingQueue(baseQueue);
    Channel channel = open();
    try {
      return channel.queueDeclarePassive(parking).getMessageCount();
    } catch (IOException e) {
      if (notFound(e)) {
        throw ApiException.notFound(
            "the parking queue " + parking + " does not exist on the broker");
      }
      throw unavailable(e);
    } catch (ShutdownSignalException e) {
      throw unavailable(e);
    } finally {
      close(channel);
    }
  }

  Counts count() {
    return parkingLot.counted(this::countAll);
  }

  private Counts countAll() {
    List<QueueCount> counts = new ArrayList<>();
    Channel channel = open();
    try {
      for (Topology.QueueSpec spec : topology.queues()) {
        String parking = topology.parkingQueue(spec.baseName());
        try {
          long ready = channel.queueDeclarePassive(parking).getMessageCount();
          counts.add(new QueueCount(spec.baseName(), parking, ready, false));
        } catch (IOException e) {
          if (!notFound(e)) {
            throw unavailable(e);
          }
          // the broker closed the channel over the missing queue: go on with a fresh one
          counts.add(new QueueCount(spec.baseName(), parking, 0, true));
          channel = open();
        } catch (ShutdownSignalException e) {
          throw unavailable(e); // the connection is down
        }
      }
    } finally {
      close(channel);
    }
    List<QueueCount> sorted =
        counts.stream()
            .sorted(Comparator.comparingLong(QueueCount::parked).reversed())
            .toList(); // a stable sort: equal counts keep the topology's order
    return new Counts(sorted, sorted.stream().mapToLong(QueueCount::parked).sum());
  }

  private Channel open() {
    try {
      return connection.createChannel();
    } catch (IOException | RuntimeException e) {
      throw unavailable(e);
    }
  }

  private static void close(Channel channel) {
    if (channel.isOpen()) {
      try {
        channel.close();
      } catch (IOException | TimeoutException | RuntimeException e) {
        // counted already; a channel that cannot close cleanly goes with the connection
      }
    }
  }

  private static boolean notFound(IOException e) {
    return e.getCause() instanceof ShutdownSignalException signal
        && !signal.isHardError()
        && signal.getReason() instanceof AMQP.Channel.Close close
        && close.getReplyCode() == NOT_FOUND;
  }

  private static ApiException unavailable(Exception e) {
    return new ApiException(
        HttpStatus.SERVICE_UNAVAILABLE,
        "Broker unavailable",
        "RabbitMQ did not answer the parking queues' counts: " + e.getMessage(),
        Map.of());
  }
}
