package dev.ordersaga.messaging.rabbit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.rabbitmq.client.Connection;
import dev.ordersaga.messaging.Envelope;
import dev.ordersaga.messaging.codec.MessageTypes;
import dev.ordersaga.messaging.codec.WireCodec;
import dev.ordersaga.messaging.contracts.order.ApproveOrder;
import dev.ordersaga.messaging.contracts.order.OrderChannels;
import dev.ordersaga.messaging.inbox.MongoInbox;
import dev.ordersaga.messaging.store.Store;
import dev.ordersaga.messaging.testing.RabbitExtension;
import dev.ordersaga.messaging.testing.TcpProxy;
import dev.ordersaga.messaging.testing.TestMessages;
import dev.ordersaga.messaging.testing.TestRabbit;
import dev.ordersaga.messaging.testing.TestStores;
import io.micrometer.core.instrument.search.Search;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The broker connection is cut (through a TCP proxy) while a message is being handled: the client
 * recovers, the unacked message comes back and is recognised as already handled, and publishing and
 * consuming resume.
 */
@ExtendWith(RabbitExtension.class)
class ConnectionRecoveryIT {

  private static final String QUEUE = OrderChannels.COMMAND_QUEUE;

  @Test
  void consumerAndPublisherResumeAfterALostConnectionWithoutLossOrDuplicateEffects(
      TestRabbit rabbit) throws Exception {
    URI broker = URI.create(rabbit.uri());
    WireCodec codec = new WireCodec(MessageTypes.orderSaga());
    MessagingMetrics metrics = MessagingMetrics.inMemory();
    Map<String, AtomicInteger> effects = new ConcurrentHashMap<>();
    CountDownLatch inHandler = new CountDownLatch(1);
    CountDownLatch connectionCut = new CountDownLatch(1);
    Envelope<ApproveOrder> caughtInTheCut = TestMessages.approveOrder();

    try (TcpProxy proxy = new TcpProxy(broker.getHost(), port(broker));
        Store store = TestStores.open()) {
      String proxied =
          "amqp://" + broker.getRawUserInfo() + "@127.0.0.1:" + proxy.port() + broker.getRawPath();
      Connection connection =
          RabbitConnections.connect(proxied, "recovery-test", rabbit.topology());
      ConfirmingPublisher publisher =
          new ConfirmingPublisher(
              connection, rabbit.topology(), codec, metrics, Duration.ofSeconds(5), "test");
      MessageConsumer consumer =
          new MessageConsumer(
              connection,
              rabbit.topology(),
              codec,
              publisher,
              new MongoInbox(store.database(), Duration.ofDays(1), Clock.systemUTC()),
              metrics,
              "order-service",
              10,
              4,
              new RedeliveryBackoff(Duration.ofMillis(10), Duration.ofMillis(50)),
              Clock.systemUTC());
      consumer.subscribe(
          QUEUE,
          envelope -> {
            effects
                .computeIfAbsent(envelope.messageId(), id -> new AtomicInteger())
                .incrementAndGet();
            if (envelope.messageId().equals(caughtInTheCut.messageId())) {
              inHandler.countDown();
              assertThat(connectionCut.await(30, TimeUnit.SECONDS)).isTrue();
            }
          });
      try {
        publisher.publish(caughtInTheCut);
        assertThat(inHandler.await(30, TimeUnit.SECONDS)).isTrue();

        proxy.cutConnections();
        await().until(() -> !connection.isOpen());
        connectionCut.countDown();

        List<Envelope<ApproveOrder>> afterTheCut = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
          afterTheCut.add(TestMessages.approveOrder());
        }
        for (Envelope<ApproveOrder> envelope : afterTheCut) {
          // a publish caught by the outage fails loudly; the caller sends the same message again
          await()
              .atMost(Duration.ofSeconds(30))
              .ignoreException(PublishException.class)
              .until(
                  () -> {
                    publisher.publish(envelope);
                    return true;
                  });
        }

        await()
            .atMost(Duration.ofSeconds(30))
            .untilAsserted(
                () -> {
                  assertThat(effects).hasSize(21);
                  assertThat(count(metrics, "messaging.duplicates")).isEqualTo(1);
                });
        assertThat(effects.values()).allSatisfy(calls -> assertThat(calls).hasValue(1));
        assertThat(rabbit.messageCount(rabbit.topology().name(QUEUE))).isZero();
      } finally {
        consumer.close();
        publisher.close();
        connection.close();
      }
    }
  }

  private static int port(URI uri) {
    return uri.getPort() == -1 ? 5672 : uri.getPort();
  }

  private static double count(MessagingMetrics metrics, String name) {
    return Search.in(metrics.registry()).name(name).counters().stream()
        .mapToDouble(c -> c.count())
        .sum();
  }
}
