package dev.ordersaga.order.cancelling;

import dev.ordersaga.messaging.web.BadRequestException;
import dev.ordersaga.messaging.web.ValidatedBodies;
import dev.ordersaga.order.placing.FieldError;
import dev.ordersaga.order.placing.InvalidRequestException;
import dev.ordersaga.order.placing.OrderRequestValidator;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.nio.charset.StandardCharsets;

/**
 * Reads the optional body of {@code POST /orders/{orderId}/cancel}: nothing, or {@code {"reason":
 * "..."}} with the shopper's words (at most {@value #MAX_REASON_LENGTH} characters; line breaks and
 * tabs allowed, other control characters not), checked by its Bean Validation constraints
 * (messaging's {@code web/ValidatedBodies}).
 */
public final class CancellationRequestReader {

  public static final int MAX_REASON_LENGTH = 500;

  /** The body: its one field, {@code reason}, may be absent, null or blank. */
  record CancellationRequest(
      @Size(max = MAX_REASON_LENGTH, message = "must be at most {max} characters")
          @Pattern(
              regexp = "[^\\x00-\\x08\\x0B\\x0C\\x0E-\\x1F\\x7F-\\x9F]*",
              message = "must not contain control characters")
          String reason) {}

  private CancellationRequestReader() {}

  /**
   * The reason given, or {@code null} when the body is empty or gives none.
   *
   * @throws InvalidRequestException naming what is wrong with the body
   */
  public static String reason(byte[] body) {
    if (body.length == 0 || new String(body, StandardCharsets.UTF_8).isBlank()) {
      return null;
    }
    CancellationRequest request;
    try {
      request =
          ValidatedBodies.read(OrderRequestValidator.readJson(body), CancellationRequest.class);
    } catch (BadRequestException e) {
      throw new InvalidRequestException(
          e.problems().stream().map(p -> new FieldError(p.field(), p.message())).toList());
    }
    String reason = request.reason();
    return reason == null || reason.isBlank() ? null : reason;
  }
}
