package dev.ordersaga.saga.runtime;

import dev.ordersaga.messaging.Envelope;
import dev.ordersaga.messaging.Message;
import dev.ordersaga.saga.Step;
import java.util.Optional;

/**
 * Tells a reply the saga asked for from one it did not, from the saga's document alone (no store
 * access beyond the step's own read).
 *
 * <p>The line: a reply is <em>asked for</em> when its {@code causationId} is the id of a command
 * the saga sent ({@link SagaRecord#hasAsked}), at any attempt and at any time before, and the reply
 * comes from the participant that command went to (its wire type's first part, {@code payment.}, is
 * the command's). So a duplicate, a late reply to an earlier attempt, a reply after the saga moved
 * on or ended, and a participant's stored reply repeated under the attempt it first answered are
 * all asked for: the saga takes them and its handlers ignore what does not answer the step in
 * progress ({@code OrderSaga}'s table). Refused, and parked by the engine with the reason:
 *
 * <ul>
 *   <li>{@link #UNKNOWN_SAGA}: a reply for a saga that has no document. The engine stores a saga
 *       before it sends its first command, so no reply can come first.
 *   <li>{@link #UNASKED_STEP}: a reply without a {@code causationId}, or naming a command the saga
 *       never sent, or a command of another participant.
 * </ul>
 *
 * Facts of the order (not replies) are not checked here: an {@code OrderCancellationRequested} may
 * arrive before its {@code OrderPlaced} and is retried until the saga exists.
 */
final class ReplyCheck {

  static final String UNKNOWN_SAGA = "UNKNOWN_SAGA";
  static final String UNASKED_STEP = "UNASKED_STEP";

  /** Why a message is refused. */
  record Refusal(String reason, String message) {}

  private ReplyCheck() {}

  /** Why the saga {@code before} refuses {@code message}, or empty when it takes it. */
  static Optional<Refusal> refusal(SagaRecord before, Envelope<? extends Message> message) {
    if (!SagaMessages.isReply(message.payload())) {
      return Optional.empty();
    }
    if (before.version() == 0) {
      return Optional.of(
          new Refusal(
              UNKNOWN_SAGA,
              message.type()
                  + " "
                  + message.messageId()
                  + " answers saga "
                  + message.sagaId()
                  + ", which does not exist"));
    }
    String cause = message.causationId();
    if (cause == null) {
      return Optional.of(
          new Refusal(
              UNASKED_STEP, message.type() + " " + message.messageId() + " names no command"));
    }
    if (!before.hasAsked(cause)) {
      return Optional.of(
          new Refusal(
              UNASKED_STEP,
              message.type()
                  + " "
                  + message.messageId()
                  + " answers "
                  + cause
                  + ", a command saga "
                  + message.sagaId()
                  + " never sent"));
    }
    Optional<String> commanded = participantOfCommand(message.sagaId(), cause);
    if (commanded.isPresent() && !commanded.get().equals(participant(message.type()))) {
      return Optional.of(
          new Refusal(
              UNASKED_STEP,
              message.type()
                  + " "
                  + message.messageId()
                  + " answers "
                  + cause
                  + ", a command sent to "
                  + commanded.get()));
    }
    return Optional.empty();
  }

  /**
   * The participant a command of the saga went to, from its id ({@code <sagaId>:<STEP>:<attempt>},
   * as {@code StepEffects} makes every command id).
   */
  private static Optional<String> participantOfCommand(String sagaId, String commandId) {
    String prefix = sagaId + ":";
    if (!commandId.startsWith(prefix)) {
      return Optional.empty();
    }
    String[] parts = commandId.substring(prefix.length()).split(":");
    if (parts.length != 2) {
      return Optional.empty();
    }
    for (Step step : Step.values()) {
      if (step.name().equals(parts[0])) {
        return Optional.of(participant(Envelope.wireTypeOf(step.command()).name()));
      }
    }
    return Optional.empty();
  }

  /** The participant part of a wire type: {@code payment} of {@code payment.PaymentAuthorized}. */
  private static String participant(String wireType) {
    int dot = wireType.indexOf('.');
    return dot < 0 ? wireType : wireType.substring(0, dot);
  }
}
