package dev.ordersaga.saga.analytics;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.ordersaga.saga.journal.JournalEvent;
import dev.ordersaga.saga.journal.JournalQuery;
import dev.ordersaga.saga.journal.JournalReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;

/**
 * Writes every event of a filter to a stream as NDJSON or CSV while reading them from the store, a
 * batch at a time: memory stays the same whatever the export's size.
 */
public final class EventExporter {

  private static final int BUFFER_CHARS = 64 * 1024;

  private final JournalReader reader;
  private final ObjectWriter lines;
  private final ObjectMapper json;
  private final int batchSize;

  public EventExporter(JournalReader reader, ObjectMapper json, int batchSize) {
    this.reader = reader;
    // one compact object per line, whatever the application's JSON settings
    this.json =
        json.copy()
            .registerModule(new JavaTimeModule())
            .disable(SerializationFeature.INDENT_OUTPUT)
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(SerializationFeature.FLUSH_AFTER_WRITE_VALUE);
    this.lines = this.json.writerFor(JournalEvent.class);
    this.batchSize = batchSize;
  }

  /** Streams the filter's events to {@code out} (not closed); returns how many were written. */
  public long export(EventFilter filter, ExportFormat format, OutputStream out) throws IOException {
    Writer writer =
        new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), BUFFER_CHARS);
    long[] rows = {0};
    JournalQuery query = filter.toJournalQuery(reader.types());
    try {
      switch (format) {
        case NDJSON -> {
          JsonGenerator generator = json.getFactory().createGenerator(writer);
          generator.setRootValueSeparator(null);
          reader.forEach(
              query,
              batchSize,
              event -> {
                try {
                  lines.writeValue(generator, event);
                  generator.writeRaw('\n');
                  rows[0]++;
                } catch (IOException e) {
                  throw new UncheckedIOException(e);
                }
              });
          generator.flush();
        }
        case CSV -> {
          CsvRows csv = new CsvRows(writer);
          reader.forEach(
              query,
              batchSize,
              event -> {
                try {
                  csv.write(event);
                  rows[0]++;
                } catch (IOException e) {
                  throw new UncheckedIOException(e);
                }
              });
          csv.flush();
        }
      }
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
    writer.flush();
    return rows[0];
  }
}
