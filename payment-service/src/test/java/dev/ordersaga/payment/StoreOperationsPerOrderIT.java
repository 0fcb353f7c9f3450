package dev.ordersaga.payment;

import static org.assertj.core.api.Assertions.assertThat;

import com.rabbitmq.client.Connection;
import dev.ordersaga.messaging.codec.WireCodec;
import dev.ordersaga.messaging.contracts.Money;
import dev.ordersaga.messaging.contracts.payment.AuthorizePayment;
import dev.ordersaga.messaging.contracts.payment.PaymentAuthorized;
import dev.ordersaga.messaging.contracts.payment.PaymentRefunded;
import dev.ordersaga.messaging.contracts.payment.RefundPayment;
import dev.ordersaga.messaging.contracts.saga.SagaChannels;
import dev.ordersaga.messaging.rabbit.ConfirmingPublisher;
import dev.ordersaga.messaging.rabbit.Topology;
import dev.ordersaga.messaging.testing.QueueProbe;
import dev.ordersaga.messaging.testing.StoreCommands;
import dev.ordersaga.messaging.testing.TestInfrastructure;
import dev.ordersaga.messaging.testing.TestMessages;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.ContextConfiguration;

/**
 * Every store operation payment-service makes for one order, exactly as its README lists them
 * ("Store operations per order"): each by {@code _id} or a unique key in a flat filter, none
 * sorted, so none scans on the embedded store and none grows with the orders before it.
 */
@SpringBootTest(
    properties = {
      "spring.config.name=" + PaymentServiceApplication.NAME,
      "payment.provider.latency=0ms"
    })
@ContextConfiguration(initializers = TestInfrastructure.class)
@Import(StoreCommands.Configuration.class)
class StoreOperationsPerOrderIT {

  private static final Money AMOUNT = Money.of("12.00", "EUR");

  @Autowired private StoreCommands store;
  @Autowired private ConfirmingPublisher publisher;
  @Autowired private Connection connection;
  @Autowired private Topology topology;
  @Autowired private WireCodec codec;

  @Test
  void anAuthorizationAndItsRefundAreKeyedStoreOperationsOnly() {
    QueueProbe replies = new QueueProbe(connection, topology, SagaChannels.EVENT_QUEUE, codec);
    String orderId = "order-" + UUID.randomUUID();
    String key = UUID.randomUUID().toString();

    store.start();
    publisher.publish(
        TestMessages.envelope(new AuthorizePayment(orderId, key, "c-1", AMOUNT, "pm_card_visa")));
    PaymentAuthorized authorized =
        replies.await(PaymentAuthorized.class, r -> r.orderId().equals(orderId));

    assertThat(handled())
        .containsExactly("payments find {_id}", "provider_charges insert", "payments insert");

    store.start();
    publisher.publish(
        TestMessages.envelope(new RefundPayment(orderId, key, authorized.paymentId(), AMOUNT)));
    replies.await(PaymentRefunded.class, r -> r.orderId().equals(orderId));

    assertThat(handled())
        .containsExactly(
            "payments find {_id}",
            "payments find {_id}",
            "provider_charges find {chargeId}",
            "provider_charges update {_id, version}",
            "payments insert");
  }

  /**
   * What was recorded for the command: the handler publishes its reply after its last write, so
   * once the reply arrived, everything is recorded (the queue has no inbox: the handler is
   * idempotent by its records' keys).
   */
  private List<String> handled() {
    return store.recorded();
  }
}
