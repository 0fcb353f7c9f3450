package dev.ordersaga.shipping.carrier;

import com.mongodb.client.MongoDatabase;
import dev.ordersaga.messaging.tracing.MessageTracing;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The carrier the service books with: the simulated one, set up from {@code shipping.carrier}. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(CarrierSettings.class)
class CarrierConfiguration {

  private static final Logger log = LoggerFactory.getLogger(CarrierConfiguration.class);

  @Bean
  Carrier carrier(
      CarrierSettings properties, MongoDatabase database, Clock clock, MessageTracing tracing) {
    log.info(
        "simulated carrier {}: {} countries served, excluded {}, latency {}, transient failure"
            + " rate {}",
        properties.name(),
        properties.serviceArea().countries().size(),
        properties.excludedCountries(),
        properties.latency(),
        properties.transientFailureRate());
    return new TracedCarrier(new SimulatedCarrier(properties, database, clock), tracing);
  }
}
