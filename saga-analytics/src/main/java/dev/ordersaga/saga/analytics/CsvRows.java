package dev.ordersaga.saga.analytics;

import dev.ordersaga.saga.journal.JournalEvent;
import java.io.IOException;
import java.io.Writer;
import java.util.List;

/**
 * Events as CSV (RFC 4180): a header row, then one row per event, lines ended by CRLF. A field with
 * a comma, a double quote, a line break, or a space at either end is put in double quotes, its
 * double quotes doubled. An absent value is an empty field. The payload is one column holding its
 * JSON text.
 */
final class CsvRows {

  /** The columns, in order; fixed, so a script can rely on them. */
  static final List<String> COLUMNS =
      List.of(
          "eventId",
          "sagaId",
          "sequence",
          "type",
          "revision",
          "direction",
          "causationId",
          "occurredAt",
          "recordedAt",
          "payload");

  private CsvRows() {}

  static void header(Writer out) throws IOException {
    for (int i = 0; i < COLUMNS.size(); i++) {
      if (i > 0) {
        out.write(',');
      }
      out.write(COLUMNS.get(i));
    }
    out.write("\r\n");
  }

  static void row(Writer out, JournalEvent event) throws IOException {
    field(out, event.eventId());
    out.write(',');
    field(out, event.sagaId());
    out.write(',');
    field(out, Long.toString(event.sequence()));
    out.write(',');
    field(out, event.type());
    out.write(',');
    field(out, event.revision() == null ? null : event.revision().toString());
    out.write(',');
    field(out, event.direction());
    out.write(',');
    field(out, event.causationId());
    out.write(',');
    field(out, event.occurredAt() == null ? null : event.occurredAt().toString());
    out.write(',');
    field(out, event.recordedAt() == null ? null : event.recordedAt().toString());
    out.write(',');
    field(out, event.payload());
    out.write("\r\n");
  }

  static void field(Writer out, String value) throws IOException {
    if (value == null || value.isEmpty()) {
      return;
    }
    if (!needsQuotes(value)) {
      out.write(value);
      return;
    }
    out.write('"');
    int start = 0;
    for (int i = 0; i < value.length(); i++) {
      if (value.charAt(i) == '"') {
        out.write(value, start, i + 1 - start);
        out.write('"');
        start = i + 1;
      }
    }
    out.write(value, start, value.length() - start);
    out.write('"');
  }

  private static boolean needsQuotes(String value) {
    if (value.charAt(0) == ' ' || value.charAt(value.length() - 1) == ' ') {
      return true;
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == ',' || c == '"' || c == '\r' || c == '\n') {
        return true;
      }
    }
    return false;
  }
}
