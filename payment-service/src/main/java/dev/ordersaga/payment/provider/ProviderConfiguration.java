package dev.ordersaga.payment.provider;

import com.mongodb.client.MongoDatabase;
import java.time.Clock;
import java.util.Random;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The payment provider the service calls: the simulated one behind a circuit breaker. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(ProviderSettings.class)
class ProviderConfiguration {

  @Bean
  CircuitBreakingPaymentProvider paymentProvider(
      MongoDatabase database, ProviderSettings properties, Clock clock) {
    Random random =
        properties.randomSeed() == null ? new Random() : new Random(properties.randomSeed());
    SimulatedPaymentProvider simulated =
        new SimulatedPaymentProvider(
            database,
            properties.latency(),
            properties.flakyFailureRate(),
            random::nextDouble,
            clock);
    return new CircuitBreakingPaymentProvider(
        simulated, CircuitBreakingPaymentProvider.breaker(properties.circuitBreaker()));
  }
}
