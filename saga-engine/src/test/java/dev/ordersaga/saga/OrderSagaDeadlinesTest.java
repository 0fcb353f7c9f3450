package dev.ordersaga.saga;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ordersaga.messaging.Command;
import dev.ordersaga.messaging.MessageIds;
import dev.ordersaga.messaging.contracts.Address;
import dev.ordersaga.messaging.contracts.Customer;
import dev.ordersaga.messaging.contracts.LineItem;
import dev.ordersaga.messaging.contracts.Money;
import dev.ordersaga.messaging.contracts.notification.NoticeReason;
import dev.ordersaga.messaging.contracts.notification.NotifyCustomer;
import dev.ordersaga.messaging.contracts.order.ApproveOrder;
import dev.ordersaga.messaging.contracts.order.MarkRefundPending;
import dev.ordersaga.messaging.contracts.order.OrderApproved;
import dev.ordersaga.messaging.contracts.order.OrderPlaced;
import dev.ordersaga.messaging.contracts.order.RejectOrder;
import dev.ordersaga.messaging.contracts.order.RejectionReason;
import dev.ordersaga.messaging.contracts.payment.AuthorizePayment;
import dev.ordersaga.messaging.contracts.payment.PaymentAuthorized;
import dev.ordersaga.messaging.contracts.payment.RefundPayment;
import dev.ordersaga.messaging.contracts.shipping.ScheduleShipment;
import dev.ordersaga.messaging.contracts.shipping.ShipmentFailed;
import dev.ordersaga.messaging.contracts.shipping.ShipmentFailureReason;
import dev.ordersaga.messaging.contracts.shipping.ShipmentScheduled;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.axonframework.commandhandling.GenericCommandMessage;
import org.axonframework.test.saga.SagaTestFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The order saga with time passing: the saga's clock is the fixture's, and its deadlines (the
 * {@link StepTimers} port) fire as the engine's timer poller fires them, as {@link StepTimedOut}
 * once the fixture's time reaches them. Each test asserts the commands the saga sent (its {@link
 * CommandSender} port, which also hands them to the fixture's command bus for {@code
 * expectDispatchedCommands}) as time goes by.
 */
class OrderSagaDeadlinesTest {

  private static final String ORDER = "order-7";
  private static final Instant START = Instant.parse("2026-11-21T10:00:00Z");
  private static final Money TOTAL = Money.of("33.00", "EUR");
  private static final Customer CUSTOMER = new Customer("cust-7", "jisoo@example.com", "ko");
  private static final Address ADDRESS =
      new Address("Kim Jisoo", "1 Jongno", null, "Seoul", "03154", "KR");
  private static final List<LineItem> ITEMS =
      List.of(new LineItem("MUG-01", 2, Money.of("16.50", "EUR")));
  private static final String PAYMENT_KEY =
      MessageIds.idempotencyKey(ORDER, Step.AUTHORIZE_PAYMENT.name());
  private static final String SHIPPING_KEY =
      MessageIds.idempotencyKey(ORDER, Step.SCHEDULE_SHIPMENT.name());
  private static final AuthorizePayment AUTHORIZE =
      new AuthorizePayment(ORDER, PAYMENT_KEY, "cust-7", TOTAL, "pm_card_visa");
  private static final ScheduleShipment SCHEDULE =
      new ScheduleShipment(ORDER, SHIPPING_KEY, ADDRESS, ITEMS);
  private static final RefundPayment REFUND = new RefundPayment(ORDER, PAYMENT_KEY, "pay-7", TOTAL);
  private static final SagaSettings SETTINGS =
      new SagaSettings(Duration.ofSeconds(10), Duration.ofSeconds(60), 3);

  private final SentCommands commands = new SentCommands();
  private final FixtureTimers timers = new FixtureTimers();
  private SagaTestFixture<OrderSaga> fixture;

  @BeforeEach
  void setUp() {
    fixture = new SagaTestFixture<>(OrderSaga.class);
    fixture.registerResource(commands);
    fixture.registerResource(timers);
    fixture.registerResource((SagaStatusBoard) status -> {});
    fixture.registerResource(SETTINGS);
    fixture.registerResource(new FixtureClock());
    fixture.registerResource(SagaMeters.immediate(new SimpleMeterRegistry()));
    fixture.givenCurrentTime(START);
  }

  @Test
  void repliesBeforeTheirDeadlinesGoStraightThroughWithNoRetry() throws Exception {
    fixture.andThenAPublished(placed());
    timePasses(Duration.ofSeconds(5));
    fixture.andThenAPublished(new PaymentAuthorized(ORDER, "pay-7", TOTAL));
    timePasses(Duration.ofSeconds(5));
    fixture
        .whenPublishingA(new ShipmentScheduled(ORDER, "shp-7", "CJ", "CJ7"))
        .expectDispatchedCommands(new ApproveOrder(ORDER));
    timePasses(Duration.ofSeconds(5));
    fixture
        .whenPublishingA(new OrderApproved(ORDER))
        .expectNoDispatchedCommands()
        .expectActiveSagas(0);
    timePasses(Duration.ofMinutes(10));

    assertThat(commands.sent()).containsExactly(AUTHORIZE, SCHEDULE, new ApproveOrder(ORDER));
    assertThat(timers.pending).isNull();
  }

  @Test
  void anUnansweredPaymentIsAskedAgainAtEachDeadlineThenGivenUp() throws Exception {
    fixture.andThenAPublished(placed());
    Duration first = SETTINGS.timeoutOf(ORDER, Step.AUTHORIZE_PAYMENT, 1);
    Duration second = SETTINGS.timeoutOf(ORDER, Step.AUTHORIZE_PAYMENT, 2);
    Duration third = SETTINGS.timeoutOf(ORDER, Step.AUTHORIZE_PAYMENT, 3);

    timePasses(first.minusMillis(1));
    assertThat(commands.sent()).containsExactly(AUTHORIZE);

    timePasses(Duration.ofMillis(1));
    assertThat(commands.sent()).containsExactly(AUTHORIZE, AUTHORIZE);
    assertThat(commands.attempts()).containsExactly(1, 2);
    assertThat(commands.at()).containsExactly(START, START.plus(first));

    timePasses(second);
    assertThat(commands.sent()).containsExactly(AUTHORIZE, AUTHORIZE, AUTHORIZE);
    timePasses(third.minusMillis(1));
    // the third deadline falls: the timer poller fires it, and the saga gives the payment up
    fixture.andThenTimeElapses(Duration.ofMillis(1));
    fixture
        .whenPublishingA(new StepTimedOut(ORDER, Step.AUTHORIZE_PAYMENT, 3))
        .expectDispatchedCommands(new RejectOrder(ORDER, RejectionReason.TIMED_OUT));
    assertThat(commands.sent())
        .containsExactly(
            AUTHORIZE, AUTHORIZE, AUTHORIZE, new RejectOrder(ORDER, RejectionReason.TIMED_OUT));
    assertThat(commands.at().get(3)).isEqualTo(START.plus(first).plus(second).plus(third));
  }

  @Test
  void anUnansweredRefundBecomesAnIncidentAndTheNoticeWaitsOnNoDeadline() throws Exception {
    fixture.andThenAPublished(placed());
    fixture.andThenAPublished(new PaymentAuthorized(ORDER, "pay-7", TOTAL));
    fixture.andThenAPublished(
        new ShipmentFailed(ORDER, ShipmentFailureReason.CARRIER_REJECTED, null));
    assertThat(commands.sent()).containsExactly(AUTHORIZE, SCHEDULE, REFUND);

    timePasses(Duration.ofMinutes(5));

    assertThat(commands.sent())
        .containsExactly(
            AUTHORIZE,
            SCHEDULE,
            REFUND,
            REFUND,
            REFUND,
            new MarkRefundPending(ORDER, RejectionReason.SHIPMENT_FAILED),
            new NotifyCustomer(
                ORDER,
                MessageIds.idempotencyKey(ORDER, "notice:" + NoticeReason.REFUND_DELAYED),
                CUSTOMER,
                NoticeReason.REFUND_DELAYED,
                null));
    // COMPENSATION_FAILED waits on an operator: no deadline, so a day passes with nothing sent
    assertThat(timers.pending).isNull();
    int sent = commands.sent().size();
    timePasses(Duration.ofDays(1));
    assertThat(commands.sent()).hasSize(sent);
  }

  private static OrderPlaced placed() {
    return new OrderPlaced(ORDER, CUSTOMER, ITEMS, TOTAL, ADDRESS, "pm_card_visa");
  }

  /**
   * Lets {@code duration} pass: every deadline that falls due on the way fires at its time, as
   * {@link StepTimedOut} (the engine's timer poller does the same).
   */
  private void timePasses(Duration duration) throws Exception {
    Instant until = fixture.currentTime().plus(duration);
    while (timers.pending != null && !timers.pending.due().isAfter(until)) {
      Deadline due = timers.pending;
      fixture.andThenTimeAdvancesTo(due.due());
      fixture.andThenAPublished(new StepTimedOut(ORDER, due.step(), due.attempt()));
    }
    fixture.andThenTimeAdvancesTo(until);
  }

  /** The saga's clock: the fixture's time. */
  private final class FixtureClock extends Clock {
    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return fixture.currentTime();
    }
  }

  record Deadline(Step step, int attempt, Instant due) {}

  /** The saga's deadline, at most one, due at the fixture's time plus its timeout. */
  private final class FixtureTimers implements StepTimers {
    private Deadline pending;

    @Override
    public void schedule(String orderId, Step step, int attempt, Duration after) {
      pending = new Deadline(step, attempt, fixture.currentTime().plus(after));
    }

    @Override
    public void cancel(String orderId) {
      pending = null;
    }
  }

  record Sent(Command command, int attempt, Instant at) {}

  /**
   * What the saga sent, with the attempt and the fixture's time of each send; each command also
   * goes to the fixture's command bus, so {@code expectDispatchedCommands} sees it.
   */
  private final class SentCommands implements CommandSender {
    private final List<Sent> sent = new ArrayList<>();

    @Override
    public void send(String orderId, Step step, int attempt, Command command, String causation) {
      sent.add(new Sent(command, attempt, fixture.currentTime()));
      fixture.getCommandBus().dispatch(GenericCommandMessage.asCommandMessage(command));
    }

    List<Command> sent() {
      return sent.stream().map(Sent::command).toList();
    }

    List<Integer> attempts() {
      return sent.stream().map(Sent::attempt).toList();
    }

    List<Instant> at() {
      return sent.stream().map(Sent::at).toList();
    }
  }
}
