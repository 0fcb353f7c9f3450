package dev.ordersaga.order.shopper;

import dev.ordersaga.order.orders.Order;
import dev.ordersaga.order.orders.OrderStore.Position;
import dev.ordersaga.order.placing.FieldError;
import dev.ordersaga.order.placing.InvalidRequestException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The query of {@code GET /orders}: {@code limit} (1 to {@value #MAX_LIMIT}, default {@value
 * #DEFAULT_LIMIT}) and {@code cursor} (the {@code next} of the previous page, opaque). A cursor
 * only says where a page ended; the query is always the signed-in shopper's own orders, so an
 * edited cursor can skip or repeat orders but never show another customer's.
 */
final class OrderPages {

  static final int DEFAULT_LIMIT = 20;
  static final int MAX_LIMIT = 100;

  private static final Set<String> PARAMETERS = Set.of("limit", "cursor");
  private static final String VERSION = "o1";

  /** A page request, read from the query. */
  record PageRequest(int limit, Position after) {}

  private OrderPages() {}

  /**
   * Reads the query parameters.
   *
   * @throws InvalidRequestException naming each bad or unknown parameter
   */
  static PageRequest read(Map<String, String[]> parameters) {
    List<FieldError> errors = new ArrayList<>();
    parameters.keySet().stream()
        .filter(name -> !PARAMETERS.contains(name))
        .sorted()
        .forEach(name -> errors.add(new FieldError(name, "is not a known parameter")));
    int limit = DEFAULT_LIMIT;
    String[] limits = parameters.get("limit");
    if (limits != null) {
      try {
        limit = limits.length == 1 ? Integer.parseInt(limits[0]) : -1;
      } catch (NumberFormatException notANumber) {
        limit = -1;
      }
      if (limit < 1 || limit > MAX_LIMIT) {
        errors.add(new FieldError("limit", "must be one whole number from 1 to " + MAX_LIMIT));
      }
    }
    Position after = null;
    String[] cursors = parameters.get("cursor");
    if (cursors != null) {
      after = cursors.length == 1 ? decode(cursors[0]) : null;
      if (after == null) {
        errors.add(
            new FieldError("cursor", "is not a cursor this API gave out (use a page's next)"));
      }
    }
    if (!errors.isEmpty()) {
      throw new InvalidRequestException(errors);
    }
    return new PageRequest(limit, after);
  }

  /** The cursor of the page after the one that ends with this order. */
  static String next(Order last) {
    String position = VERSION + ":" + last.createdAt().toEpochMilli() + ":" + last.orderId();
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(position.getBytes(StandardCharsets.UTF_8));
  }

  private static Position decode(String cursor) {
    try {
      String[] parts =
          new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8).split(":", 3);
      if (parts.length != 3 || !parts[0].equals(VERSION) || parts[2].isEmpty()) {
        return null;
      }
      return new Position(Instant.ofEpochMilli(Long.parseLong(parts[1])), parts[2]);
    } catch (IllegalArgumentException malformed) {
      return null;
    }
  }
}
