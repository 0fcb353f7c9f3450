package dev.ordersaga.saga.security;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ordersaga.messaging.security.ConfiguredPasswords;
import dev.ordersaga.messaging.security.StaffAccounts;
import dev.ordersaga.messaging.security.StaffSettings;
import dev.ordersaga.messaging.security.StatelessBasicAuth;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.web.SecurityFilterChain;

/**
 * Roles of saga-engine: OPERATOR drives sagas ({@code /ops}), ANALYST reads ({@code /analytics},
 * {@code /sagas}); an operator may read too. HTTP Basic, no session. Health and metrics stay open
 * for probes and Prometheus, and so do the operator console's static files ({@code /console/}).
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(StaffSettings.class)
public class SecurityConfiguration {

  public static final String OPERATOR = StaffAccounts.OPERATOR;
  public static final String ANALYST = StaffAccounts.ANALYST;

  /**
   * Content Security Policy of every answer: the console runs only its own script and style and
   * talks only to this server, so an injected script or a foreign frame has nowhere to run.
   */
  static final String CSP =
      "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
          + " connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

  @Bean
  SecurityFilterChain sagaEngineSecurity(HttpSecurity http, ObjectMapper json) throws Exception {
    return StatelessBasicAuth.configure(
            http,
            json,
            "saga-engine",
            "Send the operator's or the analyst's user name and password (HTTP Basic)",
            "This account's role may not do this: operators act under /ops; /analytics and"
                + " /sagas are read-only (GET) for analysts and operators",
            requests ->
                requests
                    // the console's static files hold no data; its calls to /ops carry credentials
                    .requestMatchers(HttpMethod.GET, "/console", "/console/**")
                    .permitAll()
                    .requestMatchers("/ops/**")
                    .hasRole(OPERATOR)
                    .requestMatchers(HttpMethod.GET, "/analytics/**", "/sagas/**")
                    .hasAnyRole(ANALYST, OPERATOR)
                    // any other GET: a signed-in account gets the 404 of a path that is not there
                    .requestMatchers(HttpMethod.GET, "/**")
                    .authenticated()
                    .anyRequest()
                    .denyAll())
        .headers(headers -> headers.contentSecurityPolicy(csp -> csp.policyDirectives(CSP)))
        .build();
  }

  @Bean
  ConfiguredPasswords passwordEncoder() {
    return new ConfiguredPasswords();
  }

  @Bean
  UserDetailsService sagaEngineUsers(
      StaffSettings settings, ConfiguredPasswords passwords, Environment environment) {
    return StaffAccounts.users(settings, passwords, environment);
  }
}
