package dev.ordersaga.saga.analytics;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import org.bson.Document;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The analyst API: reads of the journal and the status board, and the indexes its queries need on
 * {@code domainevents} (declared for MongoDB; the embedded store ignores non-unique ones and
 * scans).
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(AnalyticsSettings.class)
public class AnalyticsConfiguration {

  private static final Logger log = LoggerFactory.getLogger(AnalyticsConfiguration.class);

  /** Events in recorded order: every page, export and time range. */
  public static final String RECORDED_ORDER_INDEX = "recordedOrder";

  /** Events of some types (type, service, direction filters) in recorded order. */
  public static final String PAYLOAD_TYPE_INDEX = "payloadTypeRecordedOrder";

  @Bean
  JournalTypes journalTypes() {
    return JournalTypes.orderSaga();
  }

  @Bean
  JournalReader journalReader(MongoDatabase database, JournalTypes types, ObjectMapper json) {
    declareIndexes(database.getCollection(JournalFields.COLLECTION));
    return new JournalReader(database, types, json);
  }

  @Bean
  EventExporter eventExporter(JournalReader reader, ObjectMapper json, AnalyticsSettings settings) {
    return new EventExporter(reader, json, settings.exportBatchSize());
  }

  @Bean
  SagaOutcomes sagaOutcomes(MongoDatabase database) {
    return new SagaOutcomes(database);
  }

  @Bean
  PageCursors pageCursors(AnalyticsSettings settings) {
    if (settings.cursorKey() != null && !settings.cursorKey().isBlank()) {
      return new PageCursors(settings.cursorKey().getBytes(StandardCharsets.UTF_8));
    }
    log.info(
        "saga.analytics.cursor-key is not set: page cursors are signed with a key drawn for this"
            + " run and are not taken by other engines or after a restart");
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    return new PageCursors(key);
  }

  /** Declares the indexes the analyst queries use, next to those Axon and the journal declare. */
  static void declareIndexes(MongoCollection<Document> events) {
    events.createIndex(
        Indexes.ascending(JournalFields.RECORDED_AT, JournalFields.EVENT_ID),
        new IndexOptions().name(RECORDED_ORDER_INDEX));
    events.createIndex(
        Indexes.ascending(
            JournalFields.PAYLOAD_TYPE, JournalFields.RECORDED_AT, JournalFields.EVENT_ID),
        new IndexOptions().name(PAYLOAD_TYPE_INDEX));
  }
}
