package dev.ordersaga.saga;

import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.databind.annotation.JsonTypeIdResolver;
import dev.ordersaga.messaging.Command;
import dev.ordersaga.messaging.WireType;

/**
 * Run the forward step the saga stands at again, with corrected input: the step's command as the
 * operator corrected it. The saga keeps its own order id and the step's idempotency key whatever
 * the input says (the operator API refuses input that changes them), so a participant that already
 * acted under the key still recognises the step.
 *
 * @param input the corrected command of {@code fromStep}; stored with its wire type
 */
@WireType(name = "saga.OperatorResumeRequested")
public record OperatorResumeRequested(
    String orderId,
    String actionId,
    String operator,
    String reason,
    Step fromStep,
    @JsonTypeInfo(use = JsonTypeInfo.Id.CUSTOM, property = "type")
        @JsonTypeIdResolver(WireTypeIdResolver.class)
        Command input)
    implements OperatorRequest {

  public OperatorResumeRequested {
    if (fromStep == null || !fromStep.command().isInstance(input)) {
      throw new IllegalArgumentException(
          "the input of " + fromStep + " must be its command, was " + input);
    }
  }

  @Override
  public OperatorAction action() {
    return OperatorAction.RESUME;
  }
}
