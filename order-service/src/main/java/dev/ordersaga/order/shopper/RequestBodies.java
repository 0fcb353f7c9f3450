package dev.ordersaga.order.shopper;

import dev.ordersaga.messaging.web.JsonBodies;
import dev.ordersaga.order.placing.InvalidRequestException;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.InputStream;

/** Reads request bodies up to a limit, without ever holding more than the limit in memory. */
final class RequestBodies {

  private RequestBodies() {}

  /**
   * The whole body.
   *
   * @throws BodyTooLargeException when it is larger than {@code maxBytes}
   */
  static byte[] read(HttpServletRequest request, long maxBytes) {
    if (request.getContentLengthLong() > maxBytes) {
      throw new BodyTooLargeException(maxBytes);
    }
    try (InputStream in = request.getInputStream()) {
      byte[] body = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1));
      if (body.length > maxBytes) {
        throw new BodyTooLargeException(maxBytes);
      }
      return body;
    } catch (IOException e) {
      throw new InvalidRequestException("body", "could not be read: " + e.getMessage());
    }
  }

  /**
   * Checks that a body is declared as JSON as every API takes it ({@link
   * JsonBodies#contentTypeProblem}: {@code application/json}, no charset or UTF-8). messaging's
   * {@code JsonContentTypeCheck} filter refuses the others before a controller runs; this is the
   * same check where a controller reads a body itself.
   *
   * @throws UnsupportedBodyTypeException otherwise
   */
  static void requireJson(String contentType) {
    JsonBodies.contentTypeProblem(contentType)
        .ifPresent(
            problem -> {
              throw new UnsupportedBodyTypeException(problem);
            });
  }
}
