package dev.ordersaga.messaging.rabbit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.GetResponse;
import com.rabbitmq.client.MessageProperties;
import dev.ordersaga.messaging.Envelope;
import dev.ordersaga.messaging.codec.MessageTypes;
import dev.ordersaga.messaging.codec.WireCodec;
import dev.ordersaga.messaging.contracts.order.ApproveOrder;
import dev.ordersaga.messaging.contracts.order.OrderApproved;
import dev.ordersaga.messaging.contracts.order.OrderChannels;
import dev.ordersaga.messaging.contracts.saga.SagaChannels;
import dev.ordersaga.messaging.testing.RabbitExtension;
import dev.ordersaga.messaging.testing.TestMessages;
import dev.ordersaga.messaging.testing.TestRabbit;
import io.micrometer.core.instrument.search.Search;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(RabbitExtension.class)
class ConfirmingPublisherIT {

  private final WireCodec codec = new WireCodec(MessageTypes.orderSaga());
  private final MessagingMetrics metrics = MessagingMetrics.inMemory();
  private TestRabbit rabbit;
  private ConfirmingPublisher publisher;

  @BeforeEach
  void setUp(TestRabbit rabbit) {
    this.rabbit = rabbit;
    rabbit.drain(rabbit.topology().name(OrderChannels.COMMAND_QUEUE));
    rabbit.drain(rabbit.topology().name(SagaChannels.EVENT_QUEUE));
    publisher =
        new ConfirmingPublisher(
            rabbit.connection(), rabbit.topology(), codec, metrics, Duration.ofSeconds(10), "test");
  }

  @AfterEach
  void tearDown() {
    publisher.close();
  }

  @Test
  void commandIsConfirmedAndWaitsPersistentInItsParticipantsQueue() {
    Envelope<ApproveOrder> command = TestMessages.approveOrder();

    publisher.publish(command);

    List<GetResponse> received = rabbit.drain(rabbit.topology().name(OrderChannels.COMMAND_QUEUE));
    assertThat(received).hasSize(1);
    AMQP.BasicProperties properties = received.get(0).getProps();
    assertThat(properties.getDeliveryMode()).isEqualTo(2);
    assertThat(properties.getMessageId()).isEqualTo(command.messageId());
    assertThat(properties.getType()).isEqualTo("order.ApproveOrder");
    assertThat(properties.getHeaders().get(ConfirmingPublisher.SAGA_ID_HEADER).toString())
        .isEqualTo(command.sagaId());
    assertThat(codec.decode(received.get(0).getBody())).isEqualTo(command);
    assertThat(count("messaging.confirmed")).isEqualTo(1);
  }

  @Test
  void eventGoesToTheSagaEngine() {
    Envelope<OrderApproved> event = TestMessages.orderApproved();

    publisher.publish(event);

    List<GetResponse> received = rabbit.drain(rabbit.topology().name(SagaChannels.EVENT_QUEUE));
    assertThat(received)
        .extracting(r -> r.getProps().getMessageId())
        .containsExactly(event.messageId());
  }

  @Test
  void unroutableMessageIsAnErrorTheCallerSeesAndIsCounted() {
    byte[] body = "{}".getBytes(StandardCharsets.UTF_8);

    assertThatThrownBy(
            () ->
                publisher.publish(
                    rabbit.topology().name(Topology.COMMANDS_EXCHANGE),
                    "nobody.listens",
                    MessageProperties.PERSISTENT_BASIC,
                    body,
                    "nobody.Listens"))
        .isInstanceOfSatisfying(
            PublishException.class,
            e -> assertThat(e.reason()).isEqualTo(PublishException.Reason.UNROUTABLE));
    assertThat(count("messaging.returned")).isEqualTo(1);
    assertThat(count("messaging.confirmed")).isZero();
  }

  @Test
  void aChannelErrorFailsThatPublishAndTheNextPublishStillWorks() {
    byte[] body = "{}".getBytes(StandardCharsets.UTF_8);

    assertThatThrownBy(
            () ->
                publisher.publish(
                    "no-such-exchange-" + rabbit.topology().namespace(),
                    "x",
                    MessageProperties.PERSISTENT_BASIC,
                    body,
                    "nobody.Listens"))
        .isInstanceOf(PublishException.class);

    Envelope<ApproveOrder> command = TestMessages.approveOrder();
    publisher.publish(command);
    assertThat(rabbit.drain(rabbit.topology().name(OrderChannels.COMMAND_QUEUE)))
        .extracting(r -> r.getProps().getMessageId())
        .containsExactly(command.messageId());
  }

  @Test
  void concurrentPublishersEachGetTheirOwnConfirm() throws Exception {
    int threads = 4;
    int perThread = 100;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    List<Future<?>> results = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      results.add(
          pool.submit(
              () -> {
                for (int i = 0; i < perThread; i++) {
                  publisher.publish(TestMessages.approveOrder());
                }
              }));
    }
    for (Future<?> result : results) {
      result.get(60, TimeUnit.SECONDS);
    }
    pool.shutdown();

    assertThat(rabbit.messageCount(rabbit.topology().name(OrderChannels.COMMAND_QUEUE)))
        .isEqualTo(threads * perThread);
    assertThat(count("messaging.confirmed")).isEqualTo(threads * perThread);
  }

  private double count(String name) {
    return Search.in(metrics.registry()).name(name).counters().stream()
        .mapToDouble(c -> c.count())
        .sum();
  }
}
