package dev.ordersaga.saga.ops;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ordersaga.messaging.Command;
import dev.ordersaga.messaging.MessageIds;
import dev.ordersaga.messaging.web.BadRequestException;
import dev.ordersaga.saga.Step;
import java.util.Arrays;
import java.util.List;

/**
 * Checks an operator's corrected input for a resumed step against that step's message schema: it is
 * decoded into the step's contract record, whose constructor checks apply. The order id and the
 * step's idempotency key belong to the saga: they may be left out (the saga's own are filled in) or
 * repeated unchanged, never changed, since a participant recognises the step by its key.
 *
 * <p>This is the operator API's one body part not read by {@code ValidatedBodies}: a contract
 * record checks its data in its constructor (it throws), which Bean Validation cannot see, and
 * {@code ValidatedBodies} would tell that refusal as "a value of the wrong type" and then again at
 * the enclosing record. {@link RequestReader#value} tells the constructor's own message once.
 */
final class ResumeInput {

  private ResumeInput() {}

  static Step forwardStep(Step fromStep) {
    if (fromStep == null) {
      throw new BadRequestException("fromStep", "is required");
    }
    if (fromStep.isCompensation()) {
      throw new BadRequestException("fromStep", "must be one of " + forwardSteps());
    }
    return fromStep;
  }

  static Command decode(RequestReader reader, String orderId, Step fromStep, JsonNode input) {
    if (input == null || input.isNull()) {
      throw new BadRequestException(
          "input", "is required: the corrected " + fromStep.command().getSimpleName() + " as JSON");
    }
    if (!input.isObject()) {
      throw new BadRequestException("input", "must be a JSON object");
    }
    ObjectNode command = ((ObjectNode) input).deepCopy();
    fixed(command, "orderId", orderId);
    if (hasIdempotencyKey(fromStep)) {
      fixed(command, "idempotencyKey", MessageIds.idempotencyKey(orderId, fromStep.name()));
    }
    return reader.value(command, fromStep.command(), "input.");
  }

  private static void fixed(ObjectNode command, String field, String value) {
    JsonNode given = command.get(field);
    if (given != null && !(given.isTextual() && given.asText().equals(value))) {
      throw new BadRequestException(
          "input." + field,
          "belongs to the saga and cannot be changed; leave it out or give " + value);
    }
    command.put(field, value);
  }

  private static boolean hasIdempotencyKey(Step step) {
    return Arrays.stream(step.command().getRecordComponents())
        .anyMatch(component -> component.getName().equals("idempotencyKey"));
  }

  private static List<Step> forwardSteps() {
    return Arrays.stream(Step.values()).filter(step -> !step.isCompensation()).toList();
  }
}
