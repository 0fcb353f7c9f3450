package dev.ordersaga.messaging.security;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ordersaga.messaging.web.Problems;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Map;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AuthorizeHttpRequestsConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.AuthenticationEntryPoint;

/**
 * The security every service's REST API shares, around the service's own rules: HTTP Basic with no
 * session or cookie (so no CSRF); health, info, Prometheus, {@code /error} and the OpenAPI document
 * with its Swagger UI ({@code /v3/api-docs}, {@code /swagger-ui.html}) open, every other actuator
 * endpoint closed; 401 and 403 as {@code application/problem+json} like the service's other errors.
 * The 401 carries the {@code WWW-Authenticate: Basic} challenge naming the service, except to a
 * script's call ({@code X-Requested-With: XMLHttpRequest}, as the operator console sends): a
 * challenge would make the browser open its own login prompt over the page's.
 */
public final class StatelessBasicAuth {

  /** The problem type prefix of every service. */
  public static final String TYPE_PREFIX = Problems.TYPE_PREFIX;

  /** Open to anyone: probes, Prometheus, the error page and the API's description (OpenAPI). */
  static final String[] OPEN = {
    "/actuator/health",
    "/actuator/health/**",
    "/actuator/info",
    "/actuator/prometheus",
    "/error",
    "/v3/api-docs",
    "/v3/api-docs/**",
    "/swagger-ui.html",
    "/swagger-ui/**"
  };

  private StatelessBasicAuth() {}

  /**
   * Applies the shared part, then the service's own rules.
   *
   * @param realm the service's name in the Basic challenge
   * @param signIn what a 401 tells the caller to send
   * @param forbidden what a 403 says
   * @param rules the service's rules for everything but the open and actuator paths
   */
  public static HttpSecurity configure(
      HttpSecurity http,
      ObjectMapper json,
      String realm,
      String signIn,
      String forbidden,
      Customizer<
              AuthorizeHttpRequestsConfigurer<HttpSecurity>
                  .AuthorizationManagerRequestMatcherRegistry>
          rules)
      throws Exception {
    AuthenticationEntryPoint unauthorized = unauthorized(realm, signIn, json);
    return http.authorizeHttpRequests(
            requests -> {
              requests.requestMatchers(OPEN).permitAll().requestMatchers("/actuator/**").denyAll();
              rules.customize(requests);
            })
        .httpBasic(basic -> basic.realmName(realm).authenticationEntryPoint(unauthorized))
        .exceptionHandling(
            errors ->
                errors
                    .authenticationEntryPoint(unauthorized)
                    .accessDeniedHandler(
                        (request, response, denied) ->
                            write(
                                json,
                                request,
                                response,
                                Problems.problem(
                                    HttpStatus.FORBIDDEN,
                                    TYPE_PREFIX,
                                    "forbidden",
                                    "Forbidden",
                                    forbidden,
                                    request))))
        .csrf(csrf -> csrf.disable())
        .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS));
  }

  private static AuthenticationEntryPoint unauthorized(
      String realm, String detail, ObjectMapper json) {
    return (request, response, failure) -> {
      if (!"XMLHttpRequest".equals(request.getHeader("X-Requested-With"))) {
        response.setHeader(
            HttpHeaders.WWW_AUTHENTICATE, "Basic realm=\"" + realm + "\", charset=\"UTF-8\"");
      }
      write(
          json,
          request,
          response,
          Problems.problem(
              HttpStatus.UNAUTHORIZED,
              TYPE_PREFIX,
              "unauthorized",
              "Sign-in required",
              detail,
              request));
    };
  }

  private static void write(
      ObjectMapper json,
      HttpServletRequest request,
      HttpServletResponse response,
      ProblemDetail problem)
      throws IOException {
    Problems.write(json, request, response, problem, Map.of());
  }
}
