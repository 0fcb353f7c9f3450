package dev.ordersaga.saga.runtime;

import static dev.ordersaga.saga.SampleOrders.placed;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.rabbitmq.client.Connection;
import dev.ordersaga.messaging.Envelope;
import dev.ordersaga.messaging.Message;
import dev.ordersaga.messaging.MessageIds;
import dev.ordersaga.messaging.codec.WireCodec;
import dev.ordersaga.messaging.contracts.Money;
import dev.ordersaga.messaging.contracts.notification.CustomerNotified;
import dev.ordersaga.messaging.contracts.payment.AuthorizePayment;
import dev.ordersaga.messaging.contracts.payment.PaymentAuthorized;
import dev.ordersaga.messaging.contracts.payment.PaymentChannels;
import dev.ordersaga.messaging.contracts.saga.SagaChannels;
import dev.ordersaga.messaging.contracts.shipping.ScheduleShipment;
import dev.ordersaga.messaging.contracts.shipping.ShipmentScheduled;
import dev.ordersaga.messaging.contracts.shipping.ShippingChannels;
import dev.ordersaga.messaging.rabbit.ConfirmingPublisher;
import dev.ordersaga.messaging.rabbit.Topology;
import dev.ordersaga.messaging.testing.ParkedProbe;
import dev.ordersaga.messaging.testing.QueueProbe;
import dev.ordersaga.messaging.testing.TestInfrastructure;
import dev.ordersaga.messaging.testing.TestMessages;
import dev.ordersaga.saga.SagaEngineApplication;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ContextConfiguration;

/**
 * Replies the engine did not ask for, published to its queue on the real broker: for a saga that
 * does not exist, naming no command, naming a command the saga never sent, or naming a command of
 * another participant. Each is parked at once as REJECTED with its reason and counted in {@code
 * saga.replies.refused}; the saga they name does not move; the real reply, a duplicate of it and a
 * late reply to an earlier attempt are taken as before. Malformed envelopes on the same queue are
 * parked as UNDECODABLE.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = { // as OrderSagaIT's, so the two share one application context
      "spring.config.name=" + SagaEngineApplication.NAME,
      "saga.step-timeout=1s",
      "saga.max-step-timeout=2s",
      "saga.max-attempts=3",
      "saga.deadline-poll-interval=50ms",
      "saga.security.analyst.password=test-analyst"
    })
@ContextConfiguration(initializers = TestInfrastructure.class)
class ForgedRepliesIT {

  @Autowired ConfirmingPublisher publisher;
  @Autowired Connection connection;
  @Autowired Topology topology;
  @Autowired WireCodec codec;
  @Autowired MeterRegistry meters;

  private QueueProbe payments;
  private QueueProbe shipping;
  private ParkedProbe parked;

  @BeforeEach
  void probes() {
    payments = new QueueProbe(connection, topology, PaymentChannels.COMMAND_QUEUE, codec);
    shipping = new QueueProbe(connection, topology, ShippingChannels.COMMAND_QUEUE, codec);
    parked = new ParkedProbe(connection, topology, SagaChannels.EVENT_QUEUE);
  }

  @Test
  void aReplyForASagaThatDoesNotExistIsParkedAndCounted() {
    double before = refused("UNKNOWN_SAGA");
    String nobody = MessageIds.newSagaId();
    Envelope<PaymentAuthorized> forged =
        Envelope.of(
            MessageIds.scoped(nobody, "forged"),
            MessageIds.forStep(nobody, "AUTHORIZE_PAYMENT", 1),
            Instant.now(),
            Map.of(),
            new PaymentAuthorized(nobody, "pay-x", Money.of("1.00", "EUR")));

    publisher.publish(forged);

    ParkedProbe.Parked one = parked.await(p -> p.body().contains(forged.messageId()));
    assertThat(one.reason()).isEqualTo("REJECTED");
    assertThat(one.detail()).isEqualTo("UNKNOWN_SAGA");
    assertThat(one.message()).contains(nobody).contains("does not exist");
    await().untilAsserted(() -> assertThat(refused("UNKNOWN_SAGA")).isEqualTo(before + 1));
  }

  @Test
  void repliesToCommandsTheSagaNeverSentAreParkedAndTheSagaGoesOnWithTheRealOne() {
    String orderId = MessageIds.newSagaId();
    publisher.publish(TestMessages.envelope(MessageIds.scoped(orderId, "placed"), placed(orderId)));
    Envelope<AuthorizePayment> authorize =
        payments.awaitEnvelope(AuthorizePayment.class, c -> c.orderId().equals(orderId));
    double before = refused("UNASKED_STEP");
    Money amount = authorize.payload().amount();

    // a shipment "scheduled" for a command never sent (the saga has not asked for shipping yet)
    Envelope<ShipmentScheduled> unasked =
        Envelope.of(
            MessageIds.scoped(orderId, "forged", "1"),
            MessageIds.forStep(orderId, "SCHEDULE_SHIPMENT", 1),
            Instant.now(),
            Map.of(),
            new ShipmentScheduled(orderId, "shp-x", "CJ", "CJ-X"));
    // a payment authorized that names no command
    Envelope<PaymentAuthorized> uncaused =
        Envelope.of(
            MessageIds.scoped(orderId, "forged", "2"),
            null,
            Instant.now(),
            Map.of(),
            new PaymentAuthorized(orderId, "pay-x", amount));
    // a payment authorized for an attempt the saga never reached
    Envelope<PaymentAuthorized> futureAttempt =
        Envelope.of(
            MessageIds.scoped(orderId, "forged", "3"),
            MessageIds.forStep(orderId, "AUTHORIZE_PAYMENT", 7),
            Instant.now(),
            Map.of(),
            new PaymentAuthorized(orderId, "pay-x", amount));
    // a shipment scheduled that claims to answer the payment command (another participant's)
    Envelope<ShipmentScheduled> wrongParticipant =
        authorize.reply(
            MessageIds.scoped(orderId, "forged", "4"),
            Instant.now(),
            new ShipmentScheduled(orderId, "shp-x", "CJ", "CJ-X"));
    // a notice "sent" for a command never sent
    Envelope<CustomerNotified> notice =
        Envelope.of(
            MessageIds.scoped(orderId, "forged", "5"),
            MessageIds.forStep(orderId, "NOTIFY_CUSTOMER", 1),
            Instant.now(),
            Map.of(),
            new CustomerNotified(orderId, "notice-x"));
    List<Envelope<? extends Message>> forged =
        List.of(unasked, uncaused, futureAttempt, wrongParticipant, notice);
    forged.forEach(publisher::publish);

    for (Envelope<? extends Message> one : forged) {
      ParkedProbe.Parked refusedOne = parked.await(p -> p.body().contains(one.messageId()));
      assertThat(refusedOne.reason()).isEqualTo("REJECTED");
      assertThat(refusedOne.detail()).isEqualTo("UNASKED_STEP");
      assertThat(refusedOne.message()).contains(one.messageId());
    }
    await()
        .untilAsserted(() -> assertThat(refused("UNASKED_STEP")).isEqualTo(before + forged.size()));

    // the real reply moves the saga on; a repeat of it and a late reply are taken and ignored
    Envelope<PaymentAuthorized> real =
        authorize.reply(
            MessageIds.scoped(orderId, "payment-service", "1"),
            Instant.now(),
            new PaymentAuthorized(orderId, "pay-1", amount));
    publisher.publish(real);
    publisher.publish(real);
    publisher.publish(
        authorize.reply(
            MessageIds.scoped(orderId, "payment-service", "late"),
            Instant.now(),
            new PaymentAuthorized(orderId, "pay-1", amount)));
    ScheduleShipment schedule =
        shipping.await(ScheduleShipment.class, c -> c.orderId().equals(orderId));
    assertThat(schedule.orderId()).isEqualTo(orderId);
    await()
        .during(java.time.Duration.ofMillis(500))
        .untilAsserted(() -> assertThat(refused("UNASKED_STEP")).isEqualTo(before + forged.size()));
  }

  @Test
  void malformedEnvelopesOnTheEnginesQueueAreParkedAsUndecodable() throws Exception {
    String orderId = MessageIds.newSagaId();
    String[] bodies = {
      "{\"messageId\":null,\"sagaId\":\"%s\",\"type\":\"order.OrderApproved\",\"revision\":1,"
          + "\"occurredAt\":\"%s\",\"payload\":{\"orderId\":\"%s\"}}",
      "{\"messageId\":\"%1$s:x\",\"sagaId\":null,\"type\":\"order.OrderApproved\",\"revision\":1,"
          + "\"occurredAt\":\"%2$s\",\"payload\":{\"orderId\":\"%1$s\"}}",
      "{\"messageId\":\"%1$s:y\",\"sagaId\":\"%1$s\",\"type\":\"order.OrderApproved\","
          + "\"revision\":1.5,\"occurredAt\":\"%2$s\",\"payload\":{\"orderId\":\"%1$s\"}}",
      "{\"messageId\":\"%1$s:z\",\"sagaId\":\"%1$s\",\"type\":\"order.OrderApproved\","
          + "\"revision\":1,\"occurredAt\":\"+1000000000-01-01T00:00:00Z\","
          + "\"payload\":{\"orderId\":\"%1$s\"}}"
    };
    String[] details = {
      "MISSING_ENVELOPE_FIELD",
      "MISSING_ENVELOPE_FIELD",
      "INVALID_ENVELOPE_FIELD",
      "INVALID_ENVELOPE_FIELD"
    };
    String now = Instant.now().toString();
    for (int i = 0; i < bodies.length; i++) {
      String body =
          i == 0
              ? String.format(bodies[i], orderId, now, orderId)
              : String.format(bodies[i], orderId, now);
      String testCase = "malformed-" + i;
      publisher.publish(
          topology.name(Topology.EVENTS_EXCHANGE),
          "order.OrderApproved",
          new com.rabbitmq.client.AMQP.BasicProperties.Builder()
              .headers(Map.of("x-test-case", testCase))
              .build(),
          body.getBytes(StandardCharsets.UTF_8),
          "order.OrderApproved");
    }

    for (int i = 0; i < bodies.length; i++) {
      ParkedProbe.Parked one = parked.awaitHeader("x-test-case", "malformed-" + i);
      assertThat(one.reason()).isEqualTo("UNDECODABLE");
      assertThat(one.detail()).isEqualTo(details[i]);
    }
  }

  private double refused(String reason) {
    Counter counter = meters.find("saga.replies.refused").tag("reason", reason).counter();
    return counter == null ? 0 : counter.count();
  }
}
