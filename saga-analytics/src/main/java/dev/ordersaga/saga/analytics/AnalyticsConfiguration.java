package dev.ordersaga.saga.analytics;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import org.bson.Document;
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
