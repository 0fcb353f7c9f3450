package dev.ordersaga.order.commands;

import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;
import dev.ordersaga.messaging.Envelope;
import dev.ordersaga.messaging.Message;
import dev.ordersaga.messaging.contracts.order.ApproveOrder;
import dev.ordersaga.messaging.contracts.order.MarkRefundPending;
import dev.ordersaga.messaging.contracts.order.OrderApproved;
import dev.ordersaga.messaging.contracts.order.OrderChannels;
import dev.ordersaga.messaging.contracts.order.OrderRejected;
import dev.ordersaga.messaging.contracts.order.RejectOrder;
import dev.ordersaga.messaging.contracts.order.RejectionReason;
import dev.ordersaga.messaging.rabbit.ParkingHeaders;
import dev.ordersaga.messaging.rabbit.ParkingLot;
import dev.ordersaga.order.OrderServiceTestSupport;
import dev.ordersaga.order.orders.Order;
import dev.ordersaga.order.orders.OrderStore;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpStatus;

class OrderCommandsIT extends OrderServiceTestSupport {

  @Autowired private ParkingLot parkingLot;

  @Test
  void approveOrderApprovesAndReplies() {
    String orderId = placedOrder();

    Envelope<ApproveOrder> command = send(new ApproveOrder(orderId));

    Envelope<OrderApproved> reply =
        events.awaitEnvelope(OrderApproved.class, approved -> approved.orderId().equals(orderId));
    assertThat(reply.causationId()).isEqualTo(command.messageId());
    assertThat(reply.sagaId()).isEqualTo(orderId);
    assertThat(status(orderId)).isEqualTo("APPROVED");
    assertThat(getOrder(orderId).getBody().has("reason")).isFalse();
  }

  @Test
  void anOrderStoredBeforeOrdersHadAVersionIsApprovedAndGetsOne() {
    String orderId = placedOrder();
    var orders = database.getCollection(OrderStore.COLLECTION);
    orders.updateOne(Filters.eq("_id", orderId), Updates.unset("version"));
    assertThat(store.find(orderId).orElseThrow().version()).isEqualTo(Order.UNVERSIONED);

    send(new ApproveOrder(orderId));

    events.await(OrderApproved.class, approved -> approved.orderId().equals(orderId));
    assertThat(status(orderId)).isEqualTo("APPROVED");
    assertThat(store.find(orderId).orElseThrow().version()).isEqualTo(Order.FIRST_VERSION);
  }

  @Test
  void aRepeatedApproveOrderSendsTheStoredReplyAgain() {
    String orderId = placedOrder();
    send(new ApproveOrder(orderId));
    events.await(OrderApproved.class, approved -> approved.orderId().equals(orderId));

    send(new ApproveOrder(orderId)); // a retry of the step: new message id

    Awaitility.await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> received(OrderApproved.class, a -> a.orderId().equals(orderId)).size() == 2);
    List<Envelope<Message>> replies =
        received(OrderApproved.class, a -> a.orderId().equals(orderId));
    assertThat(replies.get(1).messageId()).isEqualTo(replies.get(0).messageId());
    assertThat(replies.get(1).causationId()).isEqualTo(replies.get(0).causationId());
    assertThat(status(orderId)).isEqualTo("APPROVED");
  }

  @Test
  void rejectOrderRejectsWithTheReasonAndReplies() {
    String orderId = placedOrder();

    send(new RejectOrder(orderId, RejectionReason.PAYMENT_DECLINED));

    OrderRejected reply =
        events.await(OrderRejected.class, rejected -> rejected.orderId().equals(orderId));
    assertThat(reply.reason()).isEqualTo(RejectionReason.PAYMENT_DECLINED);
    assertThat(status(orderId)).isEqualTo("REJECTED");
    assertThat(getOrder(orderId).getBody().get("reason").asText()).isEqualTo("PAYMENT_DECLINED");
  }

  @Test
  void aSecondRejectOrderGetsTheFirstReplyAndChangesNothing() {
    String orderId = placedOrder();
    send(new RejectOrder(orderId, RejectionReason.SHIPMENT_FAILED));
    events.await(OrderRejected.class, rejected -> rejected.orderId().equals(orderId));

    send(new RejectOrder(orderId, RejectionReason.TIMED_OUT));

    Awaitility.await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> received(OrderRejected.class, r -> r.orderId().equals(orderId)).size() == 2);
    assertThat(received(OrderRejected.class, r -> r.orderId().equals(orderId)))
        .extracting(e -> ((OrderRejected) e.payload()).reason())
        .containsExactly(RejectionReason.SHIPMENT_FAILED, RejectionReason.SHIPMENT_FAILED);
    assertThat(getOrder(orderId).getBody().get("reason").asText()).isEqualTo("SHIPMENT_FAILED");
  }

  @Test
  void approveOrderForARejectedOrderIsParkedAndChangesNothing() {
    String orderId = placedOrder();
    send(new RejectOrder(orderId, RejectionReason.PAYMENT_DECLINED));
    events.await(OrderRejected.class, rejected -> rejected.orderId().equals(orderId));

    Envelope<ApproveOrder> late = send(new ApproveOrder(orderId));

    ParkingLot.Parked parked = awaitParked(late.messageId());
    assertThat(parked.headers().get(ParkingHeaders.REASON).toString()).isEqualTo("REJECTED");
    assertThat(parked.headers().get(ParkingHeaders.EXCEPTION_MESSAGE).toString())
        .contains("already REJECTED");
    assertThat(status(orderId)).isEqualTo("REJECTED");
    assertThat(received(OrderApproved.class, a -> a.orderId().equals(orderId))).isEmpty();
  }

  @Test
  void rejectOrderForAnApprovedOrderIsParkedAndChangesNothing() {
    String orderId = placedOrder();
    send(new ApproveOrder(orderId));
    events.await(OrderApproved.class, approved -> approved.orderId().equals(orderId));

    Envelope<RejectOrder> late = send(new RejectOrder(orderId, RejectionReason.TIMED_OUT));

    awaitParked(late.messageId());
    assertThat(status(orderId)).isEqualTo("APPROVED");
    assertThat(received(OrderRejected.class, r -> r.orderId().equals(orderId))).isEmpty();
  }

  @Test
  void markRefundPendingShowsTheShopperUntilTheRejectionSettlesTheOrder() {
    String orderId = placedOrder();

    send(new MarkRefundPending(orderId, RejectionReason.SHIPMENT_FAILED));

    Awaitility.await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> status(orderId).equals("REFUND_PENDING"));
    assertThat(getOrder(orderId).getBody().get("reason").asText()).isEqualTo("SHIPMENT_FAILED");
    // too late to cancel: the order is being undone
    assertThat(cancel(orderId).getStatusCode()).isEqualTo(HttpStatus.CONFLICT);

    // a repeat changes nothing; the rejection after the refund settles the order
    send(new MarkRefundPending(orderId, RejectionReason.SHIPMENT_FAILED));
    send(new RejectOrder(orderId, RejectionReason.SHIPMENT_FAILED));
    events.await(OrderRejected.class, rejected -> rejected.orderId().equals(orderId));
    assertThat(status(orderId)).isEqualTo("REJECTED");

    // a late redelivery of the mark finds the order settled and changes nothing (nor is parked);
    // a repeated rejection sent after it is answered once the queue got that far
    Envelope<MarkRefundPending> late =
        send(new MarkRefundPending(orderId, RejectionReason.SHIPMENT_FAILED));
    send(new RejectOrder(orderId, RejectionReason.SHIPMENT_FAILED));
    Awaitility.await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> received(OrderRejected.class, r -> r.orderId().equals(orderId)).size() == 2);
    assertThat(status(orderId)).isEqualTo("REJECTED");
    assertThat(parkingLot.peek(OrderChannels.COMMAND_QUEUE, 100))
        .noneMatch(p -> late.messageId().equals(p.messageId()));
  }

  @Test
  void approveOrderForAnOrderWhoseRefundIsPendingIsParked() {
    String orderId = placedOrder();
    send(new MarkRefundPending(orderId, RejectionReason.TIMED_OUT));
    Awaitility.await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> status(orderId).equals("REFUND_PENDING"));

    Envelope<ApproveOrder> late = send(new ApproveOrder(orderId));

    ParkingLot.Parked parked = awaitParked(late.messageId());
    assertThat(parked.headers().get(ParkingHeaders.EXCEPTION_MESSAGE).toString())
        .contains("already REFUND_PENDING");
    assertThat(status(orderId)).isEqualTo("REFUND_PENDING");
  }

  @Test
  void aCommandForAnUnknownOrderIsParked() {
    Envelope<ApproveOrder> command = send(new ApproveOrder(UUID.randomUUID().toString()));

    ParkingLot.Parked parked = awaitParked(command.messageId());

    assertThat(parked.headers().get(ParkingHeaders.EXCEPTION_MESSAGE).toString())
        .contains("does not exist");
  }

  private String status(String orderId) {
    return getOrder(orderId).getBody().get("status").asText();
  }

  private ParkingLot.Parked awaitParked(String messageId) {
    return Awaitility.await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                parkingLot.peek(OrderChannels.COMMAND_QUEUE, 100).stream()
                    .filter(p -> messageId.equals(p.messageId()))
                    .findFirst()
                    .orElse(null),
            found -> found != null);
  }
}
