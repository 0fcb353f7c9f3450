package dev.ordersaga.saga.canary;

import com.mongodb.client.MongoDatabase;
import dev.ordersaga.messaging.work.PeriodicWork;
import dev.ordersaga.saga.runtime.SagaVersions;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The canary: it routes the engine's new sagas and watches their outcomes. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(CanarySettings.class)
public class CanaryConfiguration {

  @Bean
  Canary canary(
      SagaVersions versions,
      MongoDatabase database,
      Clock clock,
      CanarySettings settings,
      MeterRegistry meters,
      ObjectProvider<Canary.Listener> listeners) {
    Canary canary =
        new Canary(
            versions, database, clock, settings, meters, () -> listeners.orderedStream().toList());
    versions.routeBy(canary);
    versions.observeBy(canary);
    return canary;
  }

  /**
   * Reads the stored split again every {@code saga.canary.refresh-interval}, on thread {@code
   * saga-canary-refresh}: another engine may have changed it.
   */
  @Bean
  PeriodicWork canaryRefresh(
      Canary canary,
      MeterRegistry meters,
      @Value("${saga.canary.refresh-interval:5s}") Duration interval) {
    return PeriodicWork.named("saga-canary-refresh", meters)
        .every(interval)
        .firstAfter(Duration.ZERO)
        .build(canary::refresh);
  }
}
