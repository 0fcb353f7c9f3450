package dev.ordersaga.order.shopper;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ordersaga.messaging.security.ConfiguredPasswords;
import dev.ordersaga.messaging.security.StaffAccounts;
import dev.ordersaga.messaging.security.StatelessBasicAuth;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configuration.EnableWebSecurity;
import org.springframework.security.web.SecurityFilterChain;

/**
 * Who may use the shopper API: signed-in shoppers (HTTP Basic, no session), each acting for its own
 * customer id only ({@link OrdersController} enforces that). Health, info and metrics stay open for
 * probes and Prometheus; other actuator endpoints are closed. A missing or wrong password answers
 * 401 and a refused request 403, both as {@code application/problem+json}.
 */
@Configuration(proxyBeanMethods = false)
@EnableWebSecurity
@EnableConfigurationProperties(ShopperAccountSettings.class)
class ShopperSecurityConfiguration {

  static final String REALM = "order-service";

  private static final Logger log = LoggerFactory.getLogger(ShopperSecurityConfiguration.class);

  @Bean
  SecurityFilterChain shopperSecurity(HttpSecurity http, ObjectMapper json) throws Exception {
    return StatelessBasicAuth.configure(
            http,
            json,
            REALM,
            "Send a shopper account's user name and password (HTTP Basic)",
            "This account may not do that",
            requests -> requests.anyRequest().hasRole(Shopper.ROLE))
        .build();
  }

  @Bean
  ConfiguredPasswords shopperPasswordEncoder() {
    return new ConfiguredPasswords();
  }

  @Bean
  ShopperAccounts shopperAccounts(
      ShopperAccountSettings settings, ConfiguredPasswords passwords, Environment environment) {
    boolean production = StaffAccounts.production(environment);
    ShopperAccounts accounts = ShopperAccounts.from(settings, passwords, production);
    log.info("{} shopper account(s) configured", accounts.size());
    return accounts;
  }
}
