package dev.ordersaga.order.placing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class RequestFingerprintTest {

  private static String fingerprint(String body) {
    return RequestFingerprint.of(
        OrderRequestValidator.validate(body.getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void ignoresFormattingFieldOrderAndHowAmountsAreWritten() {
    ObjectNode request = OrderRequestValidatorTest.validRequest();
    String original = request.toString();
    ObjectNode reordered = request.objectNode();
    reordered.set("paymentMethod", request.get("paymentMethod"));
    reordered.set("shippingAddress", request.get("shippingAddress"));
    request.fieldNames().forEachRemaining(name -> reordered.set(name, request.get(name)));
    ((ObjectNode) reordered.get("items").get(0)).put("unitPrice", "12.50");
    ((ObjectNode) reordered.get("items").get(1)).put("unitPrice", new BigDecimal("0.1"));
    String reformatted = reordered.toPrettyString();

    assertThat(reformatted).isNotEqualTo(original);
    assertThat(fingerprint(reformatted)).isEqualTo(fingerprint(original)).startsWith("sha256:");
  }

  @Test
  void changesWithAnyValue() {
    ObjectNode request = OrderRequestValidatorTest.validRequest();
    String original = fingerprint(request.toString());

    ((ObjectNode) request.get("items").get(0)).put("quantity", 3);
    String moreMugs = fingerprint(request.toString());
    ((ObjectNode) request.get("shippingAddress")).put("line2", "Apt 302");
    String otherFlat = fingerprint(request.toString());

    assertThat(moreMugs).isNotEqualTo(original);
    assertThat(otherFlat).isNotEqualTo(moreMugs).isNotEqualTo(original);
  }
}
