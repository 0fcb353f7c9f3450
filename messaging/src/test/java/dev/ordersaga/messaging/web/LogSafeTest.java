package dev.ordersaga.messaging.web;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LogSafeTest {

  @Test
  void cutsLongValuesSayingHowMuchIsLeftOut() {
    String safe = LogSafe.text("x".repeat(200_000));

    assertThat(safe).startsWith("x".repeat(LogSafe.MAX_CHARS)).endsWith("...(199800 more chars)");
    assertThat(safe.length()).isLessThan(LogSafe.MAX_CHARS + 30);
  }

  @Test
  void escapesLineBreaksControlsAndBrokenText() {
    assertThat(LogSafe.text("a\nFAKE LINE\r\tb")).isEqualTo("a\\nFAKE LINE\\r\\tb");
    assertThat(LogSafe.text("\u0000\u001b[31m\u0085\u2028\u202e")) // NUL, ANSI, NEL, LS, RLO
        .isEqualTo("\\u0000\\u001b[31m\\u0085\\u2028\\u202e");
    assertThat(LogSafe.text("a\ud800b")).isEqualTo("a\\ud800b");
    assertThat(LogSafe.text("back\\slash")).isEqualTo("back\\\\slash");
  }

  @Test
  void keepsPrintableTextOfAnyScript() {
    assertThat(LogSafe.text("서울 ключ 😀 café")).isEqualTo("서울 ключ 😀 café");
    assertThat(LogSafe.text(null)).isEqualTo("null");
  }
}
