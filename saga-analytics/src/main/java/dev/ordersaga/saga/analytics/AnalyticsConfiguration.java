package dev.ordersaga.saga.analytics;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.mongodb.client.MongoDatabase;
import dev.ordersaga.saga.journal.JournalReader;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The analyst API: reads of the journal (the engine's {@link JournalReader}, which declares the
 * indexes its reads need) and of the status board.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(AnalyticsSettings.class)
public class AnalyticsConfiguration {

  @Bean
  EventExporter eventExporter(JournalReader reader, ObjectMapper json, AnalyticsSettings settings) {
    return new EventExporter(reader, json, settings.exportBatchSize());
  }

  @Bean
  SagaOutcomes sagaOutcomes(MongoDatabase database) {
    return new SagaOutcomes(database);
  }
}
