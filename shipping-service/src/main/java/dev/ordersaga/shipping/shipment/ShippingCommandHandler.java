package dev.ordersaga.shipping.shipment;

import dev.ordersaga.messaging.Envelope;
import dev.ordersaga.messaging.Message;
import dev.ordersaga.messaging.MessageIds;
import dev.ordersaga.messaging.codec.WireCodec;
import dev.ordersaga.messaging.contracts.shipping.CancelShipment;
import dev.ordersaga.messaging.contracts.shipping.ScheduleShipment;
import dev.ordersaga.messaging.contracts.shipping.ShipmentCancelled;
import dev.ordersaga.messaging.contracts.shipping.ShipmentFailed;
import dev.ordersaga.messaging.contracts.shipping.ShipmentFailureReason;
import dev.ordersaga.messaging.contracts.shipping.ShipmentScheduled;
import dev.ordersaga.messaging.participant.StoredReplies;
import dev.ordersaga.messaging.rabbit.ConfirmingPublisher;
import dev.ordersaga.messaging.rabbit.MessageHandler;
import dev.ordersaga.messaging.rabbit.RejectedMessageException;
import dev.ordersaga.shipping.ShippingServiceApplication;
import dev.ordersaga.shipping.carrier.Booking;
import dev.ordersaga.shipping.carrier.Carrier;
import dev.ordersaga.shipping.carrier.CarrierUnavailableException;
import java.time.Clock;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The shipping participant: handles {@link ScheduleShipment} and {@link CancelShipment} from {@code
 * ShippingChannels.COMMAND_QUEUE}.
 *
 * <p>Each command is looked up by its idempotency key in the {@link ShipmentStore}. A key seen
 * before gets the reply stored with it, re-sent with the same message id; the carrier is not asked
 * again. Otherwise the carrier acts (idempotent by the same key), and one single-document write
 * stores the outcome with its reply before the reply is published. A write that loses to a
 * concurrent one re-reads and re-sends the winner's reply.
 *
 * <p>Cancelling: a scheduled shipment is cancelled at the carrier and marked {@code CANCELLED}. A
 * shipment the carrier refused, or one never heard of, has nothing to undo: the reply is {@link
 * ShipmentCancelled} all the same, so the saga's compensation can go on. For a key never heard of,
 * a {@code CANCELLED} record without a booking is kept, so that a {@code ScheduleShipment} with
 * that key arriving late books nothing (it gets {@code ShipmentFailed CARRIER_REJECTED}) and any
 * booking it made meanwhile is cancelled.
 *
 * <p>Transient carrier failures ({@link CarrierUnavailableException}) are counted and thrown, so
 * the command is redelivered after a backoff. A command whose key belongs to another order is
 * rejected (parked): acting on it would touch another order's shipment.
 */
public final class ShippingCommandHandler implements MessageHandler {

  private static final Logger log = LoggerFactory.getLogger(ShippingCommandHandler.class);
  private static final String SERVICE = ShippingServiceApplication.NAME;

  private final ShipmentStore store;
  private final Carrier carrier;
  private final StoredReplies replies;
  private final ShippingMetrics metrics;
  private final Clock clock;

  public ShippingCommandHandler(
      ShipmentStore store,
      Carrier carrier,
      ConfirmingPublisher publisher,
      WireCodec codec,
      ShippingMetrics metrics,
      Clock clock) {
    this.store = store;
    this.carrier = carrier;
    this.replies = new StoredReplies(publisher, codec, SERVICE);
    this.metrics = metrics;
    this.clock = clock;
  }

  @Override
  public void handle(Envelope<Message> envelope) {
    if (envelope.payload() instanceof ScheduleShipment schedule) {
      schedule(envelope, schedule);
    } else if (envelope.payload() instanceof CancelShipment cancel) {
      cancel(envelope, cancel);
    } else {
      throw new RejectedMessageException(SERVICE + " does not handle " + envelope.type());
    }
  }

  private void schedule(Envelope<Message> command, ScheduleShipment schedule) {
    String key = schedule.idempotencyKey();
    Optional<Shipment> existing = store.find(key);
    if (existing.isPresent()) {
      repeatSchedule(command, schedule, existing.get());
      return;
    }
    Booking booking = book(schedule);
    Instant now = clock.instant();
    String orderId = schedule.orderId();
    String country = schedule.address().country().strip().toUpperCase(Locale.ROOT);
    Envelope<?> reply;
    Shipment shipment;
    if (booking instanceof Booking.Booked booked) {
      String shipmentId = MessageIds.scoped(key, "shipment");
      reply =
          reply(
              command,
              key,
              new ShipmentScheduled(orderId, shipmentId, carrier.name(), booked.trackingNumber()),
              now);
      shipment =
          Shipment.scheduled(
              key,
              orderId,
              shipmentId,
              carrier.name(),
              booked.trackingNumber(),
              country,
              now,
              replies.encode(reply));
    } else {
      Booking.Refused refused = (Booking.Refused) booking;
      reply =
          reply(command, key, new ShipmentFailed(orderId, refused.reason(), refused.detail()), now);
      shipment =
          Shipment.failed(
              key,
              orderId,
              carrier.name(),
              country,
              refused.reason(),
              refused.detail(),
              now,
              replies.encode(reply));
    }
    if (!store.insert(shipment)) {
      // a concurrent duplicate, or a cancellation, was stored first
      repeatSchedule(command, schedule, store.find(key).orElseThrow());
      return;
    }
    if (shipment.state() == ShipmentState.SCHEDULED) {
      metrics.scheduled();
      log.info("shipment {} scheduled with {}", shipment.shipmentId(), carrier.name());
    } else {
      metrics.failed(shipment.failureReason());
      log.info("shipment refused: {} {}", shipment.failureReason(), shipment.failureDetail());
    }
    replies.publish(reply);
  }

  /** A ScheduleShipment whose key has a stored shipment: re-send that shipment's reply. */
  private void repeatSchedule(
      Envelope<Message> command, ScheduleShipment schedule, Shipment shipment) {
    String key = schedule.idempotencyKey();
    requireSameOrder(shipment, schedule.orderId(), command);
    if (shipment.isCancelledBeforeBooking()) {
      // this command, or an earlier delivery of it, may have booked after the cancellation came
      cancelAtCarrier(key);
      if (shipment.scheduleReply() == null) {
        Instant now = clock.instant();
        Envelope<ShipmentFailed> reply =
            reply(
                command,
                key,
                new ShipmentFailed(
                    schedule.orderId(),
                    ShipmentFailureReason.CARRIER_REJECTED,
                    "the shipment was cancelled before it was booked"),
                now);
        if (store.attachScheduleReply(shipment, now, replies.encode(reply))) {
          metrics.failed(ShipmentFailureReason.CARRIER_REJECTED);
          log.info("not booking: the shipment was cancelled before it was booked");
          replies.publish(reply);
          return;
        }
        shipment = store.find(key).orElseThrow();
      }
    }
    resend(shipment.scheduleReply());
  }

  private void cancel(Envelope<Message> command, CancelShipment cancel) {
    String key = cancel.idempotencyKey();
    String orderId = cancel.orderId();
    Optional<Shipment> found = store.find(key);
    if (found.isEmpty()) {
      // never heard of: make sure the carrier holds no booking either, and keep a record so that
      // a late ScheduleShipment with this key books nothing
      cancelAtCarrier(key);
      Instant now = clock.instant();
      Envelope<ShipmentCancelled> reply =
          reply(command, key, new ShipmentCancelled(orderId, cancel.shipmentId()), now);
      if (store.insert(
          Shipment.cancelledBeforeBooking(
              key, orderId, cancel.shipmentId(), now, replies.encode(reply)))) {
        metrics.cancelled("unknown");
        log.info("nothing to cancel: no shipment was booked with this key");
        replies.publish(reply);
        return;
      }
      found = store.find(key);
    }
    Shipment shipment = found.orElseThrow();
    requireSameOrder(shipment, orderId, command);
    if (shipment.cancelReply() == null) {
      Instant now = clock.instant();
      if (shipment.state() == ShipmentState.SCHEDULED) {
        if (!shipment.shipmentId().equals(cancel.shipmentId())) {
          log.warn(
              "CancelShipment names shipment {}, but its key booked {}; cancelling {}",
              cancel.shipmentId(),
              shipment.shipmentId(),
              shipment.shipmentId());
        }
        cancelAtCarrier(key);
        Envelope<ShipmentCancelled> reply =
            reply(command, key, new ShipmentCancelled(orderId, shipment.shipmentId()), now);
        if (store.markCancelled(shipment, now, replies.encode(reply))) {
          metrics.cancelled("scheduled");
          log.info("shipment {} cancelled", shipment.shipmentId());
          replies.publish(reply);
          return;
        }
      } else if (shipment.state() == ShipmentState.FAILED) {
        // the carrier refused it: nothing to undo
        Envelope<ShipmentCancelled> reply =
            reply(command, key, new ShipmentCancelled(orderId, cancel.shipmentId()), now);
        if (store.attachCancelReply(shipment, now, replies.encode(reply))) {
          metrics.cancelled("failed");
          log.info("nothing to cancel: the carrier had refused the shipment");
          replies.publish(reply);
          return;
        }
      }
      shipment = store.find(key).orElseThrow();
    }
    resend(shipment.cancelReply());
  }

  private Booking book(ScheduleShipment schedule) {
    try {
      return carrier.book(schedule.idempotencyKey(), schedule.address(), schedule.items());
    } catch (CarrierUnavailableException e) {
      metrics.carrierFailure("book");
      throw e;
    }
  }

  private void cancelAtCarrier(String key) {
    try {
      carrier.cancel(key);
    } catch (CarrierUnavailableException e) {
      metrics.carrierFailure("cancel");
      throw e;
    }
  }

  private static void requireSameOrder(
      Shipment shipment, String orderId, Envelope<Message> command) {
    if (!shipment.orderId().equals(orderId)) {
      throw new RejectedMessageException(
          command.type()
              + " for order "
              + orderId
              + " carries the idempotency key of order "
              + shipment.orderId()
              + "'s shipping step");
    }
  }

  /** The reply to a command; its id depends only on the key and the reply's type. */
  private <R extends Message> Envelope<R> reply(
      Envelope<Message> command, String key, R payload, Instant now) {
    return replies.reply(command, key, payload, now);
  }

  private void resend(String storedReply) {
    metrics.replyResent(replies.resend(storedReply).type());
  }
}
