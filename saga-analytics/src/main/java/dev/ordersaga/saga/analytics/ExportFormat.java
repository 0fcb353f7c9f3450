package dev.ordersaga.saga.analytics;

import java.util.Locale;
import java.util.Optional;

/** How an export is written. */
public enum ExportFormat {
  /** One JSON object per line, the same object {@code GET /analytics/events} returns. */
  NDJSON("application/x-ndjson", "ndjson"),
  /** RFC 4180 CSV with a header row and the columns of {@link CsvRows#COLUMNS}. */
  CSV("text/csv", "csv");

  private final String mediaType;
  private final String extension;

  ExportFormat(String mediaType, String extension) {
    this.mediaType = mediaType;
    this.extension = extension;
  }

  public String mediaType() {
    return mediaType;
  }

  public String extension() {
    return extension;
  }

  /** As the {@code format} parameter names it: {@code ndjson} or {@code csv}. */
  public static Optional<ExportFormat> named(String name) {
    for (ExportFormat format : values()) {
      if (format.extension.equals(name.toLowerCase(Locale.ROOT))) {
        return Optional.of(format);
      }
    }
    return Optional.empty();
  }
}
