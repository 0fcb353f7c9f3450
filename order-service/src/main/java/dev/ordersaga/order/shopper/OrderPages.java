package dev.ordersaga.order.shopper;

import dev.ordersaga.messaging.web.InvalidCursorException;
import dev.ordersaga.messaging.web.SignedCursors;
import dev.ordersaga.order.orders.Order;
import dev.ordersaga.order.orders.OrderStore.Position;
import dev.ordersaga.order.placing.FieldError;
import dev.ordersaga.order.placing.InvalidRequestException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.stereotype.Component;

/**
 * The query of {@code GET /orders}: {@code limit} (1 to {@value #MAX_LIMIT}, default {@value
 * #DEFAULT_LIMIT}) and {@code cursor} (the {@code next} of the previous page, unchanged). Cursors
 * are {@link SignedCursors} bound to the shopper's customer id: one this API did not issue (made
 * up, altered, another shopper's, or from before a restart without {@code
 * messaging.web.cursor-key}) is a 400 naming {@code cursor}.
 */
@Component
final class OrderPages {

  static final int DEFAULT_LIMIT = 20;
  static final int MAX_LIMIT = 100;

  private static final Set<String> PARAMETERS = Set.of("limit", "cursor");
  private static final String LISTING = "orders";

  /** A page request, read from the query. */
  record PageRequest(int limit, Position after) {}

  private final SignedCursors cursors;

  OrderPages(SignedCursors cursors) {
    this.cursors = cursors;
  }

  /**
   * Reads the query parameters of a shopper's listing.
   *
   * @throws InvalidRequestException naming each bad or unknown parameter
   */
  PageRequest read(Map<String, String[]> parameters, String customerId) {
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
    String[] given = parameters.get(InvalidCursorException.PARAMETER);
    if (given != null) {
      try {
        if (given.length != 1) {
          throw new InvalidRequestException(
              InvalidCursorException.PARAMETER, "is given more than once");
        }
        List<String> values = cursors.open(given[0], LISTING, customerId);
        after = new Position(Instant.ofEpochMilli(Long.parseLong(values.get(0))), values.get(1));
      } catch (InvalidCursorException e) {
        errors.add(new FieldError(InvalidCursorException.PARAMETER, e.getMessage()));
      } catch (InvalidRequestException e) {
        errors.addAll(e.errors());
      } catch (RuntimeException notOurs) {
        // signed by us, so only a change of this class's format would get here
        errors.add(new FieldError(InvalidCursorException.PARAMETER, "is not a cursor of /orders"));
      }
    }
    if (!errors.isEmpty()) {
      throw new InvalidRequestException(errors);
    }
    return new PageRequest(limit, after);
  }

  /** The cursor of the page after the one that ends with this order. */
  String next(Order last, String customerId) {
    return cursors.issue(
        LISTING,
        customerId,
        List.of(String.valueOf(last.createdAt().toEpochMilli()), last.orderId()));
  }
}
