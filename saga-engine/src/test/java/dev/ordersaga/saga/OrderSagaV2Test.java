package dev.ordersaga.saga;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ordersaga.messaging.MessageIds;
import dev.ordersaga.messaging.contracts.Address;
import dev.ordersaga.messaging.contracts.Customer;
import dev.ordersaga.messaging.contracts.LineItem;
import dev.ordersaga.messaging.contracts.Money;
import dev.ordersaga.messaging.contracts.notification.NoticeReason;
import dev.ordersaga.messaging.contracts.notification.NotifyCustomer;
import dev.ordersaga.messaging.contracts.order.ApproveOrder;
import dev.ordersaga.messaging.contracts.order.OrderApproved;
import dev.ordersaga.messaging.contracts.order.OrderPlaced;
import dev.ordersaga.messaging.contracts.order.OrderRejected;
import dev.ordersaga.messaging.contracts.order.RejectOrder;
import dev.ordersaga.messaging.contracts.order.RejectionReason;
import dev.ordersaga.messaging.contracts.payment.AuthorizePayment;
import dev.ordersaga.messaging.contracts.payment.PaymentAuthorized;
import dev.ordersaga.messaging.contracts.shipping.ScheduleShipment;
import dev.ordersaga.messaging.contracts.shipping.ShipmentScheduled;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.axonframework.test.saga.SagaTestFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Version v2's changed rule: an order above the amount limit is declined before any charge. */
class OrderSagaV2Test {

  private static final String ORDER = "order-2";
  private static final Customer CUSTOMER = new Customer("cust-2", "jisoo@example.com", "ko");
  private static final Address ADDRESS =
      new Address("Kim Jisoo", "12 Sejong-daero", null, "Seoul", "04524", "KR");

  private final OrderSagaTest.RecordingCommands commands = new OrderSagaTest.RecordingCommands();
  private final OrderSagaTest.RecordingTimers timers = new OrderSagaTest.RecordingTimers();
  private final OrderSagaTest.RecordingBoard board = new OrderSagaTest.RecordingBoard();
  private SagaTestFixture<OrderSagaV2> fixture;

  @BeforeEach
  void setUp() {
    fixture = new SagaTestFixture<>(OrderSagaV2.class);
    fixture.registerResource(commands);
    fixture.registerResource(timers);
    fixture.registerResource(board);
    fixture.registerResource(new SagaSettings(Duration.ofSeconds(10), Duration.ofSeconds(60), 3));
    fixture.registerResource(Clock.fixed(Instant.parse("2026-11-29T10:00:00Z"), ZoneOffset.UTC));
    fixture.registerResource(SagaMeters.immediate(new SimpleMeterRegistry()));
  }

  @Test
  void anOrderAboveTheLimitIsRejectedWithoutAChargeAndTheCustomerTold() {
    Money total = new Money(OrderSagaV2.AMOUNT_LIMIT.add(new BigDecimal("0.01")), "EUR");
    fixture
        .givenAPublished(placed(total))
        .whenPublishingA(new OrderRejected(ORDER, RejectionReason.PAYMENT_DECLINED))
        .expectActiveSagas(0);

    assertThat(commands.sent())
        .containsExactly(
            new RejectOrder(ORDER, RejectionReason.PAYMENT_DECLINED),
            new NotifyCustomer(
                ORDER,
                MessageIds.idempotencyKey(ORDER, "notice:" + NoticeReason.PAYMENT_DECLINED),
                CUSTOMER,
                NoticeReason.PAYMENT_DECLINED,
                null));
    assertThat(board.last().state()).isEqualTo(SagaState.COMPENSATED);
    assertThat(board.last().reason()).isEqualTo("PAYMENT_DECLINED");
  }

  @Test
  void anOrderAtTheLimitGoesThroughAsInV1() {
    Money total = new Money(OrderSagaV2.AMOUNT_LIMIT, "EUR");
    String paymentKey = MessageIds.idempotencyKey(ORDER, Step.AUTHORIZE_PAYMENT.name());
    String shippingKey = MessageIds.idempotencyKey(ORDER, Step.SCHEDULE_SHIPMENT.name());
    fixture
        .givenAPublished(placed(total))
        .andThenAPublished(new PaymentAuthorized(ORDER, "pay-2", total))
        .andThenAPublished(new ShipmentScheduled(ORDER, "shp-2", "CJ", "CJ9"))
        .whenPublishingA(new OrderApproved(ORDER))
        .expectActiveSagas(0);

    assertThat(commands.sent())
        .containsExactly(
            new AuthorizePayment(ORDER, paymentKey, "cust-2", total, "pm_card_visa"),
            new ScheduleShipment(ORDER, shippingKey, ADDRESS, items(total)),
            new ApproveOrder(ORDER));
    assertThat(board.last().state()).isEqualTo(SagaState.COMPLETED);
  }

  private static OrderPlaced placed(Money total) {
    return new OrderPlaced(ORDER, CUSTOMER, items(total), total, ADDRESS, "pm_card_visa");
  }

  private static List<LineItem> items(Money total) {
    return List.of(new LineItem("LAMP-01", 1, total));
  }
}
