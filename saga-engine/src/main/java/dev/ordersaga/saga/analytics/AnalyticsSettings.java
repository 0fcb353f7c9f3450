package dev.ordersaga.saga.analytics;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The analyst API's settings ({@code saga.analytics.*}).
 *
 * @param defaultPageSize events per page when {@code pageSize} is not given (100)
 * @param maxPageSize the largest {@code pageSize} taken (1000)
 * @param exportBatchSize events fetched from the store per round trip by an export (1000)
 * @param cursorKey the key page cursors are signed with (at least 16 characters); set the same on
 *     every engine behind one address so a cursor from one is taken by another, and so cursors
 *     outlive a restart. Unset: each engine draws a random key at start.
 */
@ConfigurationProperties("saga.analytics")
public record AnalyticsSettings(
    @DefaultValue("100") int defaultPageSize,
    @DefaultValue("1000") int maxPageSize,
    @DefaultValue("1000") int exportBatchSize,
    String cursorKey) {

  public AnalyticsSettings {
    if (maxPageSize < 1 || defaultPageSize < 1 || defaultPageSize > maxPageSize) {
      throw new IllegalArgumentException(
          "saga.analytics.default-page-size must be 1 to max-page-size (" + maxPageSize + ")");
    }
    if (exportBatchSize < 1) {
      throw new IllegalArgumentException("saga.analytics.export-batch-size must be 1 or more");
    }
    if (cursorKey != null && !cursorKey.isBlank() && cursorKey.length() < 16) {
      throw new IllegalArgumentException(
          "saga.analytics.cursor-key must have at least 16 characters");
    }
  }
}
