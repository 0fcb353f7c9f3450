package dev.ordersaga.order.cancelling;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ordersaga.order.placing.FieldError;
import dev.ordersaga.order.placing.InvalidRequestException;
import dev.ordersaga.order.placing.OrderRequestValidator;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * Reads the optional body of {@code POST /orders/{orderId}/cancel}: nothing, or {@code {"reason":
 * "..."}} with the shopper's words (at most {@value #MAX_REASON_LENGTH} characters).
 */
public final class CancellationRequestReader {

  public static final int MAX_REASON_LENGTH = 500;

  private CancellationRequestReader() {}

  /**
   * The reason given, or {@code null} when the body is empty or gives none.
   *
   * @throws InvalidRequestException naming what is wrong with the body
   */
  public static String reason(byte[] body) {
    if (body.length == 0 || new String(body, java.nio.charset.StandardCharsets.UTF_8).isBlank()) {
      return null;
    }
    JsonNode json = OrderRequestValidator.readJson(body);
    if (!json.isObject()) {
      throw new InvalidRequestException("body", "must be a JSON object");
    }
    List<FieldError> errors = new ArrayList<>();
    for (Iterator<String> names = json.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!name.equals("reason")) {
        errors.add(new FieldError(name, "is not a known field"));
      }
    }
    JsonNode reason = json.get("reason");
    String text = null;
    if (reason != null && !reason.isNull()) {
      if (!reason.isTextual()) {
        errors.add(new FieldError("reason", "must be a string"));
      } else if (reason.textValue().length() > MAX_REASON_LENGTH) {
        errors.add(
            new FieldError("reason", "must be at most " + MAX_REASON_LENGTH + " characters"));
      } else if (reason
          .textValue()
          .chars()
          .anyMatch(c -> Character.isISOControl(c) && c != '\n' && c != '\r' && c != '\t')) {
        errors.add(new FieldError("reason", "must not contain control characters"));
      } else if (!reason.textValue().isBlank()) {
        text = reason.textValue();
      }
    }
    if (!errors.isEmpty()) {
      throw new InvalidRequestException(errors);
    }
    return text;
  }
}
