package dev.ordersaga.messaging.security;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.security.servlet.SecurityAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.security.config.observation.SecurityObservationSettings;

/**
 * No observations of Spring Security's filters, authentications and authorizations in any service.
 * With HTTP Basic every request authenticates, and the observations (a wrapper, a timer and a
 * long-task timer around each of the chain's filters) cost more CPU than answering the request: in
 * the load run they took about a tenth of all CPU samples, most of it on order polling. {@code
 * http.server.requests} still counts every answer by status, 401 and 403 included.
 */
@AutoConfiguration(before = SecurityAutoConfiguration.class)
@ConditionalOnClass(SecurityObservationSettings.class)
public class SecurityObservationAutoConfiguration {

  @Bean
  @ConditionalOnMissingBean
  SecurityObservationSettings noSecurityObservations() {
    return SecurityObservationSettings.noObservations();
  }
}
