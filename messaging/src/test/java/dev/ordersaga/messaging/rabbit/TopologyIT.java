package dev.ordersaga.messaging.rabbit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import com.rabbitmq.client.GetResponse;
import dev.ordersaga.messaging.Message;
import dev.ordersaga.messaging.WireType;
import dev.ordersaga.messaging.codec.MessageTypes;
import dev.ordersaga.messaging.codec.WireCodec;
import dev.ordersaga.messaging.contracts.notification.NotificationChannels;
import dev.ordersaga.messaging.contracts.order.OrderChannels;
import dev.ordersaga.messaging.contracts.payment.PaymentChannels;
import dev.ordersaga.messaging.contracts.saga.SagaChannels;
import dev.ordersaga.messaging.contracts.shipping.ShippingChannels;
import dev.ordersaga.messaging.testing.RabbitExtension;
import dev.ordersaga.messaging.testing.TestMessages;
import dev.ordersaga.messaging.testing.TestRabbit;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(RabbitExtension.class)
class TopologyIT {

  private static final Map<String, String> COMMAND_QUEUE_BY_PARTICIPANT =
      Map.of(
          "order", OrderChannels.COMMAND_QUEUE,
          "payment", PaymentChannels.COMMAND_QUEUE,
          "shipping", ShippingChannels.COMMAND_QUEUE,
          "notification", NotificationChannels.COMMAND_QUEUE);

  private final WireCodec codec = new WireCodec(MessageTypes.orderSaga());

  @Test
  void everyCommandReachesItsParticipantAndEveryEventTheSagaEngine(TestRabbit rabbit)
      throws IOException {
    Topology topology = rabbit.topology();
    try (ConfirmingPublisher publisher = publisher(rabbit)) {
      for (Class<? extends Message> type : codec.types().all()) {
        WireType wireType = dev.ordersaga.messaging.Envelope.wireTypeOf(type);
        dev.ordersaga.messaging.Envelope<Message> sample = codec.decode(golden(wireType));

        publisher.publish(sample);

        String participant = wireType.name().substring(0, wireType.name().indexOf('.'));
        String expectedQueue =
            sample.isCommand()
                ? COMMAND_QUEUE_BY_PARTICIPANT.get(participant)
                : SagaChannels.EVENT_QUEUE;
        assertThat(rabbit.drain(topology.name(expectedQueue)))
            .as("%s lands in %s", wireType.name(), expectedQueue)
            .extracting(r -> r.getProps().getType())
            .containsExactly(wireType.name());
      }
    }
  }

  @Test
  void declaringTwiceIsHarmless(TestRabbit rabbit) {
    rabbit.topology().declare(rabbit.connection());
    rabbit.topology().declare(rabbit.connection());

    assertThat(rabbit.messageCount(rabbit.topology().name(SagaChannels.EVENT_QUEUE))).isZero();
  }

  @Test
  void brokerDeadLettersAMessageOverTheDeliveryLimitToTheParkingQueue(TestRabbit rabbit)
      throws Exception {
    // A consumer that never gets to park a message (say it crashes on it every time) only ever
    // returns it; the queue's own delivery limit must then move it aside.
    Topology topology = rabbit.topology();
    String queue = topology.name(PaymentChannels.COMMAND_QUEUE);
    AtomicInteger deliveries = new AtomicInteger();
    Channel channel = rabbit.connection().createChannel();
    channel.basicQos(1);
    channel.basicConsume(
        queue,
        false,
        new DefaultConsumer(channel) {
          @Override
          public void handleDelivery(
              String tag, Envelope envelope, AMQP.BasicProperties properties, byte[] body)
              throws IOException {
            deliveries.incrementAndGet();
            getChannel().basicNack(envelope.getDeliveryTag(), false, true);
          }
        });
    try (ConfirmingPublisher publisher = publisher(rabbit)) {
      publisher.publish(
          TestMessages.envelope(
              codec.decode(golden(wireTypeOf("payment.AuthorizePayment"))).payload()));

      await()
          .untilAsserted(
              () ->
                  assertThat(
                          rabbit.messageCount(topology.parkingQueue(PaymentChannels.COMMAND_QUEUE)))
                      .isEqualTo(1));
    } finally {
      channel.close();
    }
    assertThat(deliveries).hasValueGreaterThan(topology.maxDeliveries());
    List<GetResponse> parked = rabbit.drain(topology.parkingQueue(PaymentChannels.COMMAND_QUEUE));
    assertThat(parked.get(0).getProps().getType()).isEqualTo("payment.AuthorizePayment");
  }

  private ConfirmingPublisher publisher(TestRabbit rabbit) {
    return new ConfirmingPublisher(
        rabbit.connection(),
        rabbit.topology(),
        codec,
        MessagingMetrics.inMemory(),
        Duration.ofSeconds(10),
        "test");
  }

  private WireType wireTypeOf(String name) {
    return codec.types().all().stream()
        .map(dev.ordersaga.messaging.Envelope::wireTypeOf)
        .filter(w -> w.name().equals(name))
        .findFirst()
        .orElseThrow();
  }

  private static byte[] golden(WireType wireType) throws IOException {
    String path = "/golden/" + wireType.name() + ".r" + wireType.revision() + ".json";
    try (InputStream in = TopologyIT.class.getResourceAsStream(path)) {
      assertThat(in).as(path).isNotNull();
      return in.readAllBytes();
    }
  }
}
