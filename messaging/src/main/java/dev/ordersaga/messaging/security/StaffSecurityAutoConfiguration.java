package dev.ordersaga.messaging.security;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.actuate.autoconfigure.security.servlet.ManagementWebSecurityAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.autoconfigure.security.servlet.SecurityAutoConfiguration;
import org.springframework.boot.autoconfigure.security.servlet.UserDetailsServiceAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configuration.EnableWebSecurity;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.web.SecurityFilterChain;

/**
 * The security of a service whose only users are staff (payment-service, shipping-service,
 * notifier): its read API ({@code GET}) is for the operator and analyst accounts of {@link
 * StaffSettings}, the same as saga-engine's; health, info and metrics stay open for probes and
 * Prometheus; anything else is refused. HTTP Basic, no session. Applies when Spring Security is on
 * the classpath and the service defines no security of its own (saga-engine and order-service do).
 */
@AutoConfiguration(
    before = {
      SecurityAutoConfiguration.class,
      UserDetailsServiceAutoConfiguration.class,
      ManagementWebSecurityAutoConfiguration.class
    })
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass(SecurityFilterChain.class)
@ConditionalOnMissingBean(SecurityFilterChain.class)
@EnableWebSecurity
@EnableConfigurationProperties(StaffSettings.class)
public class StaffSecurityAutoConfiguration {

  @Bean
  SecurityFilterChain staffSecurity(
      HttpSecurity http,
      ObjectMapper json,
      @Value("${spring.application.name:order-saga}") String realm)
      throws Exception {
    return StatelessBasicAuth.configure(
            http,
            json,
            realm,
            "Send the operator's or the analyst's user name and password (HTTP Basic)",
            "This service's API is read-only",
            requests ->
                requests
                    .requestMatchers(HttpMethod.GET, "/**")
                    .hasAnyRole(StaffAccounts.OPERATOR, StaffAccounts.ANALYST)
                    .anyRequest()
                    .denyAll())
        .build();
  }

  @Bean
  ConfiguredPasswords staffPasswordEncoder() {
    return new ConfiguredPasswords();
  }

  @Bean
  UserDetailsService staffAccounts(
      StaffSettings settings, ConfiguredPasswords passwords, Environment environment) {
    return StaffAccounts.users(settings, passwords, environment);
  }
}
