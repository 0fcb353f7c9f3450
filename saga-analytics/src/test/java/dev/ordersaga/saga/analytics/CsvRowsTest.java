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
    StringWriter out = new StringWriter();
    CsvRows.field(out, value);
    out.write(",x\r\n");

    assertThat(Csv.parse(out.toString())).containsExactly(List.of(value, "x"));
  }

  @Test
  void onlyFieldsThatNeedThemAreQuoted() throws IOException {
    StringWriter out = new StringWriter();
    CsvRows.field(out, "payment.AuthorizePayment");
    out.write(',');
    CsvRows.field(out, "a\"b");
    out.write(',');
    CsvRows.field(out, null);

    assertThat(out).hasToString("payment.AuthorizePayment,\"a\"\"b\",");
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
            "{\"orderId\":\"o-1\",\"reason\":\"CARD_EXPIRED\",\"detail\":\"no, \\\"really\\\"\"}");
    StringWriter out = new StringWriter();
    CsvRows.header(out);
    CsvRows.row(out, event);

    List<List<String>> rows = Csv.parse(out.toString());

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
            event.payload());
  }
}
