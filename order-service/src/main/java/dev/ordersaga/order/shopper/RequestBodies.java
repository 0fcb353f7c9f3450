package dev.ordersaga.order.shopper;

import dev.ordersaga.order.placing.InvalidRequestException;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.InputStream;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;

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
   * Checks that a body is declared as JSON ({@code application/json} or {@code
   * application/*+json}).
   *
   * @throws UnsupportedBodyTypeException otherwise
   */
  static void requireJson(String contentType) {
    if (contentType == null) {
      throw new UnsupportedBodyTypeException("none");
    }
    try {
      MediaType type = MediaType.parseMediaType(contentType);
      if (MediaType.APPLICATION_JSON.isCompatibleWith(type)
          || new MediaType("application", "*+json").includes(type)) {
        return;
      }
    } catch (InvalidMediaTypeException e) {
      // falls through to the refusal
    }
    throw new UnsupportedBodyTypeException(contentType);
  }
}
