package dev.ordersaga.saga.analytics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ordersaga.saga.analytics.PageCursors.Position;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PageCursorsTest {

  private final PageCursors cursors =
      new PageCursors("a key for the tests, long enough".getBytes(StandardCharsets.UTF_8));
  private final Position position = new Position("2026-05-01T10:00:00.123Z", "e-42");

  @Test
  void aCursorGivesBackItsPositionForItsFilter() {
    String cursor = cursors.encode("filter-a", position);

    assertThat(cursors.decode(cursor, "filter-a")).isEqualTo(position);
  }

  @Test
  void aCursorOfAnotherFilterIsRefused() {
    String cursor = cursors.encode("filter-a", position);

    assertThatThrownBy(() -> cursors.decode(cursor, "filter-b"))
        .isInstanceOf(InvalidParameterException.class)
        .hasMessageContaining("cursor")
        .hasMessageContaining("different filter");
  }

  @Test
  void anAlteredCursorIsRefused() {
    String cursor = cursors.encode("filter-a", position);
    String body = cursor.substring(0, cursor.indexOf('.'));
    byte[] bytes = Base64.getUrlDecoder().decode(body);
    bytes[bytes.length - 1] ^= 1; // another event id, same shape
    String altered =
        Base64.getUrlEncoder().withoutPadding().encodeToString(bytes)
            + cursor.substring(cursor.indexOf('.'));

    assertThatThrownBy(() -> cursors.decode(altered, "filter-a"))
        .isInstanceOf(InvalidParameterException.class)
        .hasMessageContaining("altered");
  }

  @Test
  void everyCursorWithOneCharacterChangedIsRefused() {
    String cursor = cursors.encode("filter-a", position);

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
        assertThatThrownBy(() -> cursors.decode(changed, "filter-a"))
            .as("cursor changed at %d to %s", i, replacement)
            .isInstanceOf(InvalidParameterException.class);
      }
    }
  }

  @Test
  void aCursorSignedWithAnotherKeyIsRefused() {
    PageCursors other =
        new PageCursors("another key, just as long as it".getBytes(StandardCharsets.UTF_8));

    assertThatThrownBy(() -> cursors.decode(other.encode("filter-a", position), "filter-a"))
        .isInstanceOf(InvalidParameterException.class)
        .hasMessageContaining("altered");
  }

  @ParameterizedTest
  @ValueSource(strings = {"abc", "a.b.c", ".abc", "!!!.???", "AAAA.AAAA"})
  void aMalformedCursorIsRefused(String cursor) {
    assertThatThrownBy(() -> cursors.decode(cursor, "filter-a"))
        .isInstanceOf(InvalidParameterException.class)
        .satisfies(
            e ->
                assertThat(((InvalidParameterException) e).errors())
                    .extracting(InvalidParameterException.ParameterError::parameter)
                    .containsExactly("cursor"));
  }
}
