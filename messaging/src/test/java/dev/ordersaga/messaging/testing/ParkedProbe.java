package dev.ordersaga.messaging.testing;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.GetResponse;
import dev.ordersaga.messaging.rabbit.ParkingHeaders;
import dev.ordersaga.messaging.rabbit.Topology;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import org.awaitility.Awaitility;

/**
 * Takes what arrives in a queue's parking queue, for tests: each parked message with its headers
 * and body. Messages taken are acked (gone from the parking queue).
 */
public final class ParkedProbe {

  /** A parked message: its headers (see {@link ParkingHeaders}) and its body as text. */
  public record Parked(Map<String, Object> headers, String body) {

    public String header(String name) {
      Object value = headers.get(name);
      return value == null ? null : value.toString();
    }

    public String reason() {
      return header(ParkingHeaders.REASON);
    }

    public String detail() {
      return header(ParkingHeaders.DETAIL);
    }

    public String message() {
      return header(ParkingHeaders.EXCEPTION_MESSAGE);
    }
  }

  private final Connection connection;
  private final String queue;
  private final List<Parked> received = new CopyOnWriteArrayList<>();

  public ParkedProbe(Connection connection, Topology topology, String baseQueue) {
    this.connection = connection;
    this.queue = topology.parkingQueue(baseQueue);
  }

  /** Waits up to 10 s until a parked message matches, and returns it. */
  public Parked await(Predicate<Parked> matching) {
    return Awaitility.await()
        .atMost(Duration.ofSeconds(10))
        .pollInterval(Duration.ofMillis(20))
        .until(() -> drain().stream().filter(matching).findFirst().orElse(null), p -> p != null);
  }

  /** Waits up to 10 s until the parked message carrying header {@code name} = {@code value}. */
  public Parked awaitHeader(String name, String value) {
    return await(parked -> value.equals(parked.header(name)));
  }

  /** Everything taken so far, in arrival order, after taking what is in the queue now. */
  public List<Parked> drain() {
    try (Channel channel = connection.createChannel()) {
      GetResponse response;
      while ((response = channel.basicGet(queue, true)) != null) {
        Map<String, Object> headers = new HashMap<>();
        if (response.getProps().getHeaders() != null) {
          response.getProps().getHeaders().forEach((k, v) -> headers.put(k, String.valueOf(v)));
        }
        received.add(new Parked(headers, new String(response.getBody(), StandardCharsets.UTF_8)));
      }
    } catch (IOException | TimeoutException e) {
      throw new IllegalStateException("cannot read " + queue, e);
    }
    return List.copyOf(received);
  }
}
