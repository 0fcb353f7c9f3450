package dev.ordersaga.order.shopper;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class PreferWaitTest {

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "wait=10|10",
        "wait=0|0",
        " wait = 7 |7",
        "WAIT=5|5",
        "respond-async, wait=12|12",
        "wait=3; foo=bar|3",
        "return=minimal;x=\"a,wait=99\", wait=4|4",
        "wait=2, wait=9|2",
        "wait=99999999999999999999999|9223372036854775807"
      })
  void readsTheFirstWait(String header, long seconds) {
    assertThat(PreferWait.seconds(List.of(header))).isEqualTo(OptionalLong.of(seconds));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "wait=soon",
        "wait=-1",
        "wait=",
        "wait",
        "wait=\"10\"",
        "wait=1.5",
        "respond-async",
        "waiting=5",
        "foo=\"wait=5\"",
        "wait=abc, wait=5",
        ""
      })
  void ignoresAWaitThatIsNotDeltaSeconds(String header) {
    assertThat(PreferWait.seconds(List.of(header))).isEmpty();
  }

  @Test
  void looksAcrossHeaderLines() {
    assertThat(PreferWait.seconds(List.of("respond-async", "wait=6"))).hasValue(6);
    assertThat(PreferWait.seconds(List.of())).isEmpty();
  }
}
