package dev.ordersaga.saga.analytics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ordersaga.saga.journal.JournalEvent;
import java.io.IOException;
import java.io.StringWriter;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CsvRowsTest {

  @ParameterizedTest
  @ValueSource(
      strings = {
        "plain",
        "a,b",
        "say \"hi\"",
        "\"",
        "two\r\nlines",
        "line\nfeed",
        " padded ",
        "{\"orderId\":\"o-1\",\"items\":[{\"sku\":\"A,B\"}]}"
      })
  void everyFieldReadsBackAsWritten(String value) throws IOException {
    List<List<String>> rows = Csv.parse(csv(event(value, "{}")));

    assertThat(rows.get(1).get(0)).isEqualTo(value);
  }

  @Test
  void onlyFieldsThatNeedThemAreQuotedAndAbsentOnesAreEmpty() throws IOException {
    String text = csv(event("payment.AuthorizePayment", "{\"a\":\"b\"}"));

    assertThat(text.split("\r\n", -1)[1])
        .isEqualTo(
            "payment.AuthorizePayment,o-1,3,payment.PaymentDeclined,1,in,,,,,\"{\"\"a\"\":\"\"b\"\"}\"");
  }

  @Test
  void anExportWithoutEventsIsItsHeaderRow() throws IOException {
    StringWriter out = new StringWriter();
    new CsvRows(out).flush();

    assertThat(out).hasToString(String.join(",", CsvRows.COLUMNS) + "\r\n");
  }

  private static JournalEvent event(String eventId, String payload) {
    return new JournalEvent(
        eventId, "o-1", 3, "payment.PaymentDeclined", 1, "in", null, null, null, null, payload);
  }

  private static String csv(JournalEvent event) throws IOException {
    StringWriter out = new StringWriter();
    CsvRows rows = new CsvRows(out);
    rows.write(event);
    rows.flush();
    return out.toString();
  }

  @Test
  void aRowHasTheHeaderColumnsAndTheEventValues() throws IOException {
    JournalEvent event =
        new JournalEvent(
            "e-1",
            "o-1",
            3,
            "payment.PaymentDeclined",
            1,
            "in",
            null,
            Instant.parse("2026-05-01T10:00:00.123456Z"),
            Instant.parse("2026-05-01T10:00:00.124Z"),
            "4bf92f3577b34da6a3ce929d0e0e4736",
            "{\"orderId\":\"o-1\",\"reason\":\"CARD_EXPIRED\",\"detail\":\"no, \\\"really\\\"\"}");
    List<List<String>> rows = Csv.parse(csv(event));

    assertThat(rows.get(0)).isEqualTo(CsvRows.COLUMNS);
    assertThat(rows.get(1))
        .containsExactly(
            "e-1",
            "o-1",
            "3",
            "payment.PaymentDeclined",
            "1",
            "in",
            "",
            "2026-05-01T10:00:00.123456Z",
            "2026-05-01T10:00:00.124Z",
            "4bf92f3577b34da6a3ce929d0e0e4736",
            event.payload());
  }
}
