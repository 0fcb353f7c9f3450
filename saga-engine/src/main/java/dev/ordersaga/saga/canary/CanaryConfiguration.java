package dev.ordersaga.saga.canary;

import com.mongodb.client.MongoDatabase;
import dev.ordersaga.saga.runtime.SagaVersions;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.Scheduled;

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

  @Bean
  CanaryRefresh canaryRefresh(Canary canary) {
    return new CanaryRefresh(canary);
  }

  /** Reads the stored split again now and then: another engine may have changed it. */
  public static class CanaryRefresh {
    private final Canary canary;

    CanaryRefresh(Canary canary) {
      this.canary = canary;
    }

    @Scheduled(fixedDelayString = "${saga.canary.refresh-interval:5s}")
    public void refresh() {
      canary.refresh();
    }
  }
}
