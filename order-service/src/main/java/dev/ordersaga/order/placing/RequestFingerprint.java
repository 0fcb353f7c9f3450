package dev.ordersaga.order.placing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ordersaga.messaging.contracts.LineItem;
import dev.ordersaga.messaging.contracts.Money;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A hash of an order request after validation, so that a repeated {@code Idempotency-Key} can be
 * told apart: same request (a replay) or a different one (a key reused by mistake). It is taken
 * over the normalized request, so formatting does not matter: field order, whitespace, {@code 12.5}
 * or {@code "12.50"} give the same fingerprint; any change of a value gives another.
 */
public final class RequestFingerprint {

  private static final ObjectMapper JSON = new ObjectMapper();

  private RequestFingerprint() {}

  /** {@code sha256:} and the hex SHA-256 of the request's canonical JSON. */
  public static String of(NewOrder order) {
    ObjectNode canonical = JSON.createObjectNode();
    canonical.put("customerId", order.customer().customerId());
    canonical.put("customerEmail", order.customer().email());
    canonical.put("locale", order.customer().locale());
    canonical.put("currency", order.total().currency());
    ArrayNode items = canonical.putArray("items");
    for (LineItem item : order.items()) {
      items
          .addObject()
          .put("sku", item.sku())
          .put("quantity", item.quantity())
          .put("unitPrice", amount(item.unitPrice()));
    }
    canonical
        .putObject("shippingAddress")
        .put("name", order.shippingAddress().recipient())
        .put("line1", order.shippingAddress().line1())
        .put("line2", order.shippingAddress().line2())
        .put("city", order.shippingAddress().city())
        .put("postalCode", order.shippingAddress().postalCode())
        .put("country", order.shippingAddress().country());
    canonical.putObject("paymentMethod").put("token", order.paymentToken());
    try {
      byte[] bytes = JSON.writeValueAsBytes(canonical);
      return "sha256:"
          + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (JsonProcessingException | NoSuchAlgorithmException e) {
      throw new IllegalStateException("cannot fingerprint an order request", e);
    }
  }

  private static String amount(Money money) {
    return money.amount().toPlainString();
  }
}
