package dev.ordersaga.saga.analytics;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The analyst API's settings ({@code saga.analytics.*}).
 *
 * @param defaultPageSize events per page when {@code pageSize} is not given (100)
 * @param maxPageSize the largest {@code pageSize} taken (1000)
 * @param exportBatchSize events fetched from the store per round trip by an export (1000)
 *     <p>Page cursors are messaging's {@code SignedCursors}, signed with {@code
 *     messaging.web.cursor-key} (it was {@code saga.analytics.cursor-key}).
 */
@ConfigurationProperties("saga.analytics")
public record AnalyticsSettings(
    @DefaultValue("100") int defaultPageSize,
    @DefaultValue("1000") int maxPageSize,
    @DefaultValue("1000") int exportBatchSize) {

  public AnalyticsSettings {
    if (maxPageSize < 1 || defaultPageSize < 1 || defaultPageSize > maxPageSize) {
      throw new IllegalArgumentException(
          "saga.analytics.default-page-size must be 1 to max-page-size (" + maxPageSize + ")");
    }
    if (exportBatchSize < 1) {
      throw new IllegalArgumentException("saga.analytics.export-batch-size must be 1 or more");
    }
  }
}
