package dev.ordersaga.messaging.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SignedCursorsTest {

  private final SignedCursors cursors =
      new SignedCursors("a key for the tests, long enough".getBytes(StandardCharsets.UTF_8));
  private final List<String> position = List.of("1779000000123", "order-42");

  @Test
  void aCursorGivesBackItsValuesForItsListingAndQuery() {
    String cursor = cursors.issue("orders", "customer-1", position);

    assertThat(cursors.open(cursor, "orders", "customer-1")).isEqualTo(position);
  }

  @Test
  void aCursorOfAnotherQueryOrListingIsRefused() {
    String cursor = cursors.issue("orders", "customer-1", position);

    assertThatThrownBy(() -> cursors.open(cursor, "orders", "customer-2"))
        .isInstanceOf(InvalidCursorException.class)
        .hasMessageContaining("another query");
    assertThatThrownBy(() -> cursors.open(cursor, "ops-audit", "customer-1"))
        .isInstanceOf(InvalidCursorException.class)
        .hasMessageContaining("another listing");
  }

  @Test
  void anAlteredCursorIsRefused() {
    String cursor = cursors.issue("orders", "customer-1", position);
    String body = cursor.substring(0, cursor.indexOf('.'));
    byte[] bytes = Base64.getUrlDecoder().decode(body);
    bytes[bytes.length - 1] ^= 1; // another order id, same shape
    String altered =
        Base64.getUrlEncoder().withoutPadding().encodeToString(bytes)
            + cursor.substring(cursor.indexOf('.'));

    assertThatThrownBy(() -> cursors.open(altered, "orders", "customer-1"))
        .isInstanceOf(InvalidCursorException.class)
        .hasMessageContaining("altered");
  }

  @Test
  void everyCursorWithOneCharacterChangedIsRefused() {
    String cursor = cursors.issue("orders", "customer-1", position);
    int refused = 0;
    for (int i = 0; i < cursor.length(); i++) {
      if (cursor.charAt(i) == '.') {
        continue;
      }
      // two characters of each group sharing the top two bits: some change touches only unused bits
      for (char replacement : new char[] {'A', 'B', 'Q', 'R', 'g', 'h', 'w', 'x'}) {
        if (replacement == cursor.charAt(i)) {
          continue;
        }
        String changed = cursor.substring(0, i) + replacement + cursor.substring(i + 1);
        assertThatThrownBy(() -> cursors.open(changed, "orders", "customer-1"))
            .as("cursor changed at %d to %s", i, replacement)
            .isInstanceOf(InvalidCursorException.class);
        refused++;
      }
    }
    assertThat(refused).isGreaterThan(100);
  }

  @Test
  void aCursorSignedWithAnotherKeyIsRefused() {
    SignedCursors other =
        new SignedCursors("another key, just as long as it".getBytes(StandardCharsets.UTF_8));

    assertThatThrownBy(
            () ->
                cursors.open(other.issue("orders", "customer-1", position), "orders", "customer-1"))
        .isInstanceOf(InvalidCursorException.class)
        .hasMessageContaining("altered");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "abc",
        "a.b.c",
        ".abc",
        "!!!.???",
        "AAAA.AAAA",
        "bzE6MDp4", // the unsigned o1:<millis>:<orderId> cursors /orders gave out before
        "c2FnYXMKYWJjZDEyMzQKMTc3OTAwMDAwMDAwMApvcmRlci03", // an unsigned /ops cursor
        ""
      })
  void aCursorThisApiDidNotIssueIsRefused(String cursor) {
    assertThatThrownBy(() -> cursors.open(cursor, "orders", "customer-1"))
        .isInstanceOf(InvalidCursorException.class);
  }

  @Test
  void aHugeCursorIsRefusedBeforeDecoding() {
    assertThatThrownBy(() -> cursors.open("A".repeat(100_000), "orders", "customer-1"))
        .isInstanceOf(InvalidCursorException.class)
        .hasMessageContaining("malformed");
  }

  @Test
  void aShortKeyIsRefused() {
    assertThatThrownBy(() -> new SignedCursors(new byte[15]))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
