package dev.ordersaga.order.shopper;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ordersaga.messaging.web.Problems;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Arrays;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configuration.EnableWebSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
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
    return http.authorizeHttpRequests(
            requests ->
                requests
                    .requestMatchers(
                        "/actuator/health",
                        "/actuator/health/**",
                        "/actuator/info",
                        "/actuator/prometheus")
                    .permitAll()
                    .requestMatchers("/actuator/**")
                    .denyAll()
                    .requestMatchers("/error")
                    .permitAll()
                    .anyRequest()
                    .hasRole(Shopper.ROLE))
        .httpBasic(
            basic ->
                basic
                    .realmName(REALM)
                    .authenticationEntryPoint(
                        (request, response, e) -> unauthorized(json, request, response)))
        .exceptionHandling(
            errors ->
                errors
                    .authenticationEntryPoint(
                        (request, response, e) -> unauthorized(json, request, response))
                    .accessDeniedHandler(
                        (request, response, e) ->
                            write(
                                json,
                                response,
                                Problems.problem(
                                    HttpStatus.FORBIDDEN,
                                    ShopperApiProblems.TYPE_PREFIX,
                                    "forbidden",
                                    "Forbidden",
                                    "This account may not do that",
                                    request))))
        // no cookies or sessions: every request carries its credentials, so there is no CSRF
        .csrf(csrf -> csrf.disable())
        .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
        .build();
  }

  @Bean
  ShopperPasswords shopperPasswordEncoder() {
    return new ShopperPasswords();
  }

  @Bean
  ShopperAccounts shopperAccounts(
      ShopperAccountSettings settings, ShopperPasswords passwords, Environment environment) {
    boolean production = Arrays.asList(environment.getActiveProfiles()).contains("prod");
    ShopperAccounts accounts = ShopperAccounts.from(settings, passwords, production);
    log.info("{} shopper account(s) configured", accounts.size());
    return accounts;
  }

  private static void unauthorized(
      ObjectMapper json, HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    response.setHeader(
        HttpHeaders.WWW_AUTHENTICATE, "Basic realm=\"" + REALM + "\", charset=\"UTF-8\"");
    write(
        json,
        response,
        Problems.problem(
            HttpStatus.UNAUTHORIZED,
            ShopperApiProblems.TYPE_PREFIX,
            "unauthorized",
            "Sign-in required",
            "Send a shopper account's user name and password (HTTP Basic)",
            request));
  }

  private static void write(ObjectMapper json, HttpServletResponse response, ProblemDetail problem)
      throws IOException {
    response.setStatus(problem.getStatus());
    response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
    json.writeValue(response.getOutputStream(), problem);
  }
}
