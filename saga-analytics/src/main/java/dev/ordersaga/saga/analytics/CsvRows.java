package dev.ordersaga.saga.analytics;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.SequenceWriter;
import com.fasterxml.jackson.dataformat.csv.CsvGenerator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import dev.ordersaga.saga.journal.JournalEvent;
import java.io.IOException;
import java.io.Writer;
import java.util.List;

/**
 * Events as CSV (RFC 4180), written by Jackson's CSV generator: a header row, then one row per
 * event, lines ended by CRLF. A field with a comma, a double quote or a line break is put in double
 * quotes, its double quotes doubled. An absent value is an empty field. The payload is one column
 * holding its JSON text.
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
          "traceId",
          "payload");

  private static final CsvMapper CSV =
      CsvMapper.builder()
          // quote only what must be quoted (separator, quote, line break), as RFC 4180 reads it
          .enable(CsvGenerator.Feature.STRICT_CHECK_FOR_QUOTING)
          // the export's writer belongs to the caller: flushed, never closed here
          .disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET)
          .build();

  private static final CsvSchema SCHEMA =
      CsvSchema.builder()
          .addColumns(COLUMNS, CsvSchema.ColumnType.STRING)
          .setLineSeparator("\r\n")
          .setNullValue("")
          .build();

  private final SequenceWriter rows;

  /** Starts the CSV on {@code out} with its header row (there even when no event follows). */
  CsvRows(Writer out) throws IOException {
    this.rows = CSV.writer(SCHEMA).writeValues(out);
    rows.write(COLUMNS.toArray(String[]::new));
  }

  /** Writes one event's row. */
  void write(JournalEvent event) throws IOException {
    rows.write(
        new String[] {
          event.eventId(),
          event.sagaId(),
          Long.toString(event.sequence()),
          event.type(),
          event.revision() == null ? null : event.revision().toString(),
          event.direction(),
          event.causationId(),
          event.occurredAt() == null ? null : event.occurredAt().toString(),
          event.recordedAt() == null ? null : event.recordedAt().toString(),
          event.traceId(),
          event.payload()
        });
  }

  /** Writes out what is buffered, keeping the writer open. */
  void flush() throws IOException {
    rows.flush();
  }
}
