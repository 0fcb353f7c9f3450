package dev.ordersaga.saga.security;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;

/**
 * Roles of saga-engine: OPERATOR drives sagas ({@code /ops}), ANALYST reads ({@code /analytics},
 * {@code /sagas}); an operator may read too. HTTP Basic, no session. Health and metrics stay open
 * for probes and Prometheus, and so do the operator console's static files ({@code /console/}).
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(SecuritySettings.class)
public class SecurityConfiguration {

  public static final String OPERATOR = "OPERATOR";
  public static final String ANALYST = "ANALYST";

  /**
   * Content Security Policy of every answer: the console runs only its own script and style and
   * talks only to this server, so an injected script or a foreign frame has nowhere to run.
   */
  static final String CSP =
      "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
          + " connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

  private static final Logger log = LoggerFactory.getLogger(SecurityConfiguration.class);

  @Bean
  SecurityFilterChain sagaEngineSecurity(HttpSecurity http) throws Exception {
    return http.authorizeHttpRequests(
            requests ->
                requests
                    .requestMatchers(
                        "/actuator/health/**", "/actuator/info", "/actuator/prometheus")
                    .permitAll()
                    // the console's static files hold no data; its calls to /ops carry credentials
                    .requestMatchers(HttpMethod.GET, "/console", "/console/**")
                    .permitAll()
                    .requestMatchers("/ops/**")
                    .hasRole(OPERATOR)
                    .requestMatchers(HttpMethod.GET, "/analytics/**", "/sagas/**")
                    .hasAnyRole(ANALYST, OPERATOR)
                    .requestMatchers("/error")
                    .permitAll()
                    .anyRequest()
                    .denyAll())
        .httpBasic(Customizer.withDefaults())
        .csrf(
            csrf -> csrf.disable()) // no cookies or sessions: every request carries its credentials
        .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
        .headers(headers -> headers.contentSecurityPolicy(csp -> csp.policyDirectives(CSP)))
        .build();
  }

  @Bean
  PasswordEncoder passwordEncoder() {
    return PasswordEncoderFactories.createDelegatingPasswordEncoder();
  }

  @Bean
  UserDetailsService sagaEngineUsers(
      SecuritySettings settings, PasswordEncoder encoder, Environment environment) {
    boolean production = Arrays.asList(environment.getActiveProfiles()).contains("prod");
    return new InMemoryUserDetailsManager(
        User.withUsername(username(settings.operator(), "operator"))
            .password(encoder.encode(password(settings.operator(), "operator", production)))
            .roles(OPERATOR)
            .build(),
        User.withUsername(username(settings.analyst(), "analyst"))
            .password(encoder.encode(password(settings.analyst(), "analyst", production)))
            .roles(ANALYST)
            .build());
  }

  private static String username(SecuritySettings.Account account, String role) {
    return account.username() == null || account.username().isBlank() ? role : account.username();
  }

  private static String password(
      SecuritySettings.Account account, String role, boolean production) {
    if (account.password() != null && !account.password().isBlank()) {
      return account.password();
    }
    if (production) {
      throw new IllegalStateException(
          "saga.security."
              + role
              + ".password is not set; the prod profile does not start without configured"
              + " credentials (set SAGA_SECURITY_"
              + role.toUpperCase(java.util.Locale.ROOT)
              + "_PASSWORD)");
    }
    byte[] random = new byte[18];
    new SecureRandom().nextBytes(random);
    String generated = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
    log.warn(
        "no password configured for the {} account; generated for this run: {}", role, generated);
    return generated;
  }
}
