package dev.ordersaga.payment.provider;

import com.mongodb.client.MongoDatabase;
import dev.ordersaga.messaging.tracing.MessageTracing;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.micrometer.tagged.TaggedCircuitBreakerMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.Random;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The payment provider the service calls: the simulated one behind a circuit breaker, whose state
 * and calls are meters ({@code resilience4j.circuitbreaker.state}, {@code .calls}, {@code
 * .failure.rate}, tag {@code name=payment-provider}): Grafana's Participants dashboard and the
 * circuit-open alert read them.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(ProviderSettings.class)
class ProviderConfiguration {

  @Bean
  CircuitBreakingPaymentProvider paymentProvider(
      MongoDatabase database,
      ProviderSettings properties,
      Clock clock,
      MeterRegistry meters,
      MessageTracing tracing) {
    Random random =
        properties.randomSeed() == null ? new Random() : new Random(properties.randomSeed());
    SimulatedPaymentProvider simulated =
        new SimulatedPaymentProvider(
            database,
            properties.latency(),
            properties.flakyFailureRate(),
            random::nextDouble,
            clock);
    // the breaker is made in a registry whose breakers are bound to the meters
    CircuitBreakerRegistry breakers = CircuitBreakerRegistry.ofDefaults();
    TaggedCircuitBreakerMetrics.ofCircuitBreakerRegistry(breakers).bindTo(meters);
    CircuitBreaker configured = CircuitBreakingPaymentProvider.breaker(properties.circuitBreaker());
    CircuitBreaker breaker =
        breakers.circuitBreaker(configured.getName(), configured.getCircuitBreakerConfig());
    return new CircuitBreakingPaymentProvider(simulated, breaker, tracing);
  }
}
