package dev.ordersaga.messaging.rabbit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.ShutdownSignalException;
import dev.ordersaga.messaging.Envelope;
import dev.ordersaga.messaging.Message;
import dev.ordersaga.messaging.codec.MessageTypes;
import dev.ordersaga.messaging.codec.WireCodec;
import dev.ordersaga.messaging.contracts.Money;
import dev.ordersaga.messaging.contracts.notification.NotificationChannels;
import dev.ordersaga.messaging.contracts.order.OrderChannels;
import dev.ordersaga.messaging.contracts.payment.PaymentAuthorized;
import dev.ordersaga.messaging.contracts.payment.PaymentChannels;
import dev.ordersaga.messaging.contracts.saga.SagaChannels;
import dev.ordersaga.messaging.contracts.shipping.ShippingChannels;
import dev.ordersaga.messaging.testing.ParkedProbe;
import dev.ordersaga.messaging.testing.RabbitExtension;
import dev.ordersaga.messaging.testing.TestMessages;
import dev.ordersaga.messaging.testing.TestRabbit;
import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The per-service broker users of {@link BrokerUsers}, created on the real broker with {@code
 * rabbitmqctl} (names and grants of this test's own namespace): each service's user does its own
 * job, and is refused on another's. Skipped only where rabbitmqctl cannot be run (a developer's
 * machine without the right to); CI sets {@code ORDER_SAGA_REQUIRE_RABBITMQCTL=1}, which makes that
 * a failure instead.
 */
@ExtendWith(RabbitExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BrokerUsersIT {

  private final WireCodec codec = new WireCodec(MessageTypes.orderSaga());
  private final Map<String, String> passwords = new HashMap<>();
  private final List<Connection> connections = new ArrayList<>();
  private TestRabbit rabbit;
  private String prefix;

  @BeforeAll
  void createUsers(TestRabbit rabbit) throws Exception {
    this.rabbit = rabbit;
    this.prefix = rabbit.topology().namespace();
    List<BrokerUsers.Grant> grants = BrokerUsers.orderSaga(rabbit.topology(), prefix);
    for (BrokerUsers.Grant grant : grants) {
      passwords.put(grant.user(), BrokerUsers.newPassword());
    }
    try {
      Rabbitmqctl.importDefinitions(BrokerUsers.definitions(grants, passwords, "/", null));
    } catch (Rabbitmqctl.RabbitmqctlException e) {
      if (System.getenv("ORDER_SAGA_REQUIRE_RABBITMQCTL") != null) {
        throw new AssertionError("rabbitmqctl is required here: " + e.getMessage(), e);
      }
      Assumptions.abort("rabbitmqctl cannot be run here: " + e.getMessage());
    }
    // the import is asynchronous: wait until the last user can sign in
    await().ignoreExceptions().until(() -> connect("notifier").isOpen());
  }

  @AfterAll
  void deleteUsers() throws Exception {
    for (Connection connection : connections) {
      if (connection.isOpen()) {
        connection.close();
      }
    }
    if (!passwords.isEmpty()) {
      Rabbitmqctl.deleteUsers(List.copyOf(passwords.keySet()));
    }
  }

  @Test
  void aParticipantCannotSendAReplyInAnotherParticipantsName() throws Exception {
    Connection payment = connect("payment-service");

    assertRefused(() -> publish(payment, Topology.EVENTS_EXCHANGE, "shipping.ShipmentScheduled"));
    assertRefused(() -> publish(payment, Topology.EVENTS_EXCHANGE, "order.OrderApproved"));
    assertRefused(
        () -> publish(payment, Topology.EVENTS_EXCHANGE, "notification.CustomerNotified"));
    assertRefused(() -> publish(connect("notifier"), Topology.EVENTS_EXCHANGE, "payment.Paid"));
    assertRefused(() -> publish(connect("shipping-service"), "", name(SagaChannels.EVENT_QUEUE)));
    // its own replies go through
    publish(payment, Topology.EVENTS_EXCHANGE, "payment.PaymentAuthorized");
  }

  @Test
  void noOneButSagaEngineCanSendACommand() throws Exception {
    for (String participant :
        List.of("order-service", "payment-service", "shipping-service", "notifier")) {
      Connection connection = connect(participant);
      assertRefused(
          () -> publish(connection, Topology.COMMANDS_EXCHANGE, "notification.NotifyCustomer"));
      assertRefused(() -> publish(connection, "", name(NotificationChannels.COMMAND_QUEUE)));
      assertRefused(() -> publish(connection, "", name(PaymentChannels.COMMAND_QUEUE)));
    }
    publish(connect("saga-engine"), Topology.COMMANDS_EXCHANGE, "notification.NotifyCustomer");
  }

  @Test
  void aParticipantConsumesOnlyItsOwnQueue() throws Exception {
    Connection payment = connect("payment-service");

    for (String other :
        List.of(
            NotificationChannels.COMMAND_QUEUE,
            OrderChannels.COMMAND_QUEUE,
            ShippingChannels.COMMAND_QUEUE,
            SagaChannels.EVENT_QUEUE)) {
      assertRefused(() -> consume(payment, name(other)));
      assertRefused(() -> get(payment, name(other)));
      assertRefused(() -> get(payment, rabbit.topology().parkingQueue(other)));
    }
    consume(payment, name(PaymentChannels.COMMAND_QUEUE));
  }

  @Test
  void aParticipantParksOnlyIntoItsOwnParkingQueue() throws Exception {
    Connection payment = connect("payment-service");

    assertRefused(
        () ->
            publish(payment, Topology.PARKING_EXCHANGE, name(NotificationChannels.COMMAND_QUEUE)));
    assertRefused(
        () -> publish(payment, Topology.PARKED_EXCHANGE, name(NotificationChannels.COMMAND_QUEUE)));
    assertRefused(
        () -> publish(payment, Topology.PARKED_EXCHANGE, name(PaymentChannels.COMMAND_QUEUE)));
    String marker = "{\"parked by\":\"" + UUID.randomUUID() + "\"}";
    publish(payment, Topology.PARKING_EXCHANGE, name(PaymentChannels.COMMAND_QUEUE), marker);
    new ParkedProbe(rabbit.connection(), rabbit.topology(), PaymentChannels.COMMAND_QUEUE)
        .await(parked -> parked.body().equals(marker));
  }

  @Test
  void aParticipantCannotDeclareDeleteOrRebindTheTopology() throws Exception {
    Connection notifier = connect("notifier");

    assertRefused(() -> inChannel(notifier, c -> c.queueDelete(name(OrderChannels.COMMAND_QUEUE))));
    assertRefused(() -> inChannel(notifier, c -> c.queuePurge(name(OrderChannels.COMMAND_QUEUE))));
    assertRefused(
        () ->
            inChannel(
                notifier,
                c ->
                    c.queueBind(
                        name(NotificationChannels.COMMAND_QUEUE),
                        name(Topology.COMMANDS_EXCHANGE),
                        "#")));
    assertRefused(
        () ->
            inChannel(
                notifier, c -> c.queueDeclare(name("notifier.spy"), false, false, true, null)));
    assertRefused(
        () -> inChannel(notifier, c -> c.exchangeDelete(name(Topology.COMMANDS_EXCHANGE))));
  }

  @Test
  void eachServiceRunsWithItsOwnUserAndParksItsFailures() throws Exception {
    // as a participant starts: it may not declare the topology, so it checks that it is there
    Connection payment =
        RabbitConnections.connect(uri("payment-service"), "payment-service", rabbit.topology());
    connections.add(payment);
    Connection engine =
        RabbitConnections.connect(uri("saga-engine"), "saga-engine", rabbit.topology());
    connections.add(engine);
    MessagingMetrics metrics = MessagingMetrics.inMemory();
    ConfirmingPublisher paymentOut =
        new ConfirmingPublisher(
            payment, rabbit.topology(), codec, metrics, Duration.ofSeconds(5), "payment-service");
    ConfirmingPublisher engineOut =
        new ConfirmingPublisher(
            engine, rabbit.topology(), codec, metrics, Duration.ofSeconds(5), "saga-engine");
    Set<String> handled = ConcurrentHashMap.newKeySet();
    MessageConsumer consumer =
        new MessageConsumer(
            payment,
            rabbit.topology(),
            codec,
            paymentOut,
            null,
            metrics,
            "payment-service",
            4,
            1,
            RedeliveryBackoff.DEFAULT,
            Clock.systemUTC());
    try {
      consumer.subscribe(
          PaymentChannels.COMMAND_QUEUE,
          envelope -> {
            if (envelope.payload().orderId().startsWith("reject-")) {
              throw new RejectedMessageException("TEST", "refused by the test");
            }
            handled.add(envelope.payload().orderId());
            paymentOut.publish(
                envelope.reply(
                    envelope.messageId() + ":reply",
                    envelope.occurredAt(),
                    new PaymentAuthorized(
                        envelope.payload().orderId(), "pay-1", Money.of("1.00", "EUR"))));
          },
          1,
          false);

      String orderId = UUID.randomUUID().toString();
      Envelope<? extends Message> command = authorize(orderId);
      engineOut.publish(command);
      await().untilAsserted(() -> assertThat(handled).contains(orderId));
      await()
          .untilAsserted(
              () ->
                  assertThat(rabbit.drain(name(SagaChannels.EVENT_QUEUE)))
                      .anySatisfy(
                          r ->
                              assertThat(r.getEnvelope().getRoutingKey())
                                  .isEqualTo("payment.PaymentAuthorized")));

      engineOut.publish(authorize("reject-" + UUID.randomUUID()));
      ParkingLot lot = new ParkingLot(engine, rabbit.topology(), engineOut);
      await()
          .untilAsserted(() -> assertThat(lot.peek(PaymentChannels.COMMAND_QUEUE, 10)).hasSize(1));
      // saga-engine's user re-drives it for an operator
      assertThat(lot.redrive(PaymentChannels.COMMAND_QUEUE, 1)).hasSize(1);
    } finally {
      consumer.close();
      paymentOut.close();
      engineOut.close();
    }
  }

  private static Envelope<? extends Message> authorize(String orderId) {
    return TestMessages.envelope(
        new dev.ordersaga.messaging.contracts.payment.AuthorizePayment(
            orderId,
            orderId + ":AUTHORIZE_PAYMENT",
            "cust-1",
            Money.of("1.00", "EUR"),
            "pm_card_visa"));
  }

  private interface ChannelWork {
    void run(Channel channel) throws Exception;
  }

  private interface Work {
    void run() throws Exception;
  }

  private void assertRefused(Work work) {
    assertThatThrownBy(work::run)
        .satisfies(
            e -> {
              Throwable cause = e;
              while (cause != null && !(cause instanceof ShutdownSignalException)) {
                cause = cause.getCause();
              }
              assertThat(cause).as("refused by the broker: %s", e).isNotNull();
              assertThat(cause.getMessage()).contains("ACCESS_REFUSED");
            });
  }

  private void inChannel(Connection connection, ChannelWork work) throws Exception {
    try (Channel channel = connection.createChannel()) {
      work.run(channel);
    }
  }

  /** Publishes and waits for the confirm: a refused publish closes the channel instead. */
  private void publish(Connection connection, String exchange, String routingKey) throws Exception {
    publish(connection, exchange, routingKey, "{}");
  }

  private void publish(Connection connection, String exchange, String routingKey, String body)
      throws Exception {
    String target = exchange.isEmpty() ? "" : name(exchange);
    inChannel(
        connection,
        channel -> {
          channel.confirmSelect();
          channel.basicPublish(
              target,
              routingKey,
              new AMQP.BasicProperties(),
              body.getBytes(java.nio.charset.StandardCharsets.UTF_8));
          channel.waitForConfirmsOrDie(5000);
        });
  }

  private void consume(Connection connection, String queue) throws Exception {
    inChannel(
        connection,
        channel -> {
          String tag = channel.basicConsume(queue, false, new DefaultConsumer(channel));
          channel.basicCancel(tag);
        });
  }

  private void get(Connection connection, String queue) throws Exception {
    inChannel(connection, channel -> channel.basicGet(queue, false));
  }

  private String name(String baseName) {
    return rabbit.topology().name(baseName);
  }

  private String uri(String service) {
    URI broker = URI.create(rabbit.uri());
    String user = prefix + service;
    return "amqp://"
        + user
        + ":"
        + passwords.get(user)
        + "@"
        + broker.getHost()
        + ":"
        + (broker.getPort() < 0 ? 5672 : broker.getPort());
  }

  private Connection connect(String service)
      throws IOException, java.util.concurrent.TimeoutException {
    ConnectionFactory factory = new ConnectionFactory();
    try {
      factory.setUri(uri(service));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
    Connection connection = factory.newConnection("test-" + service);
    connections.add(connection);
    return connection;
  }
}
