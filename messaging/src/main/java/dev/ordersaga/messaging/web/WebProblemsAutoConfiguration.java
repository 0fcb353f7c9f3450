package dev.ordersaga.messaging.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.autoconfigure.security.SecurityProperties;
import org.springframework.boot.autoconfigure.web.servlet.WebMvcAutoConfiguration;
import org.springframework.boot.autoconfigure.web.servlet.error.ErrorMvcAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.embedded.tomcat.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.boot.web.servlet.error.ErrorController;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.http.HttpStatus;
import org.springframework.security.web.firewall.RequestRejectedHandler;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * The part of every service's REST API that is the same everywhere, so that every bad request is a
 * 4xx problem+json naming what was wrong and none is a 500:
 *
 * <ul>
 *   <li>{@link RequestHeaderCheck}, the first filter: headers with control or raw non-ASCII bytes;
 *   <li>{@link JsonContentTypeCheck}, after Spring Security: a body must be {@code
 *       application/json} (UTF-8), else 415; then {@link RequestBodyLimit}: at most {@code
 *       messaging.web.max-body-size}, else 413;
 *   <li>Spring Security's firewall refusals (an encoded slash, a {@code ;} in the path...) as 400
 *       problem+json;
 *   <li>{@link ProblemErrorController} for {@code /error}, {@link ProblemErrorReportValve} for the
 *       errors Tomcat answers itself (501 for {@code Transfer-Encoding: gzip});
 *   <li>{@link DefaultApiProblems} where a service has no error handler of its own;
 *   <li>the {@link SignedCursors} of the service's listings ({@code messaging.web.cursor-key}).
 * </ul>
 */
@AutoConfiguration(before = {ErrorMvcAutoConfiguration.class, WebMvcAutoConfiguration.class})
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@EnableConfigurationProperties(WebSettings.class)
public class WebProblemsAutoConfiguration {

  private static final Logger log = LoggerFactory.getLogger(WebProblemsAutoConfiguration.class);

  @Bean
  FilterRegistrationBean<RequestHeaderCheck> requestHeaderCheck(ObjectMapper json) {
    FilterRegistrationBean<RequestHeaderCheck> registration =
        new FilterRegistrationBean<>(new RequestHeaderCheck(json));
    registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
    return registration;
  }

  @Bean
  FilterRegistrationBean<JsonContentTypeCheck> jsonContentTypeCheck(ObjectMapper json) {
    FilterRegistrationBean<JsonContentTypeCheck> registration =
        new FilterRegistrationBean<>(new JsonContentTypeCheck(json));
    registration.setOrder(SecurityProperties.DEFAULT_FILTER_ORDER + 5);
    return registration;
  }

  @Bean
  FilterRegistrationBean<RequestBodyLimit> requestBodyLimit(
      ObjectMapper json, WebSettings settings) {
    FilterRegistrationBean<RequestBodyLimit> registration =
        new FilterRegistrationBean<>(new RequestBodyLimit(json, settings.maxBodySize().toBytes()));
    registration.setOrder(SecurityProperties.DEFAULT_FILTER_ORDER + 6);
    return registration;
  }

  @Bean
  @ConditionalOnMissingBean(ErrorController.class)
  ProblemErrorController problemErrorController() {
    return new ProblemErrorController();
  }

  @Bean
  @ConditionalOnMissingBean(ResponseEntityExceptionHandler.class)
  DefaultApiProblems defaultApiProblems() {
    return new DefaultApiProblems();
  }

  @Bean
  @ConditionalOnClass(name = "org.apache.catalina.startup.Tomcat")
  WebServerFactoryCustomizer<TomcatServletWebServerFactory> problemErrorReports() {
    return ProblemErrorReportValve::install;
  }

  @Bean
  @ConditionalOnMissingBean
  SignedCursors signedCursors(WebSettings settings) {
    if (settings.cursorKey() != null && !settings.cursorKey().isBlank()) {
      return new SignedCursors(settings.cursorKey().getBytes(StandardCharsets.UTF_8));
    }
    log.info(
        "messaging.web.cursor-key is not set: page cursors are signed with a key drawn for this"
            + " run (a cursor is refused by another instance or after a restart)");
    return SignedCursors.withRandomKey();
  }

  /** Spring Security's firewall refusals as problem+json. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(RequestRejectedHandler.class)
  static class FirewallProblems {

    @Bean
    RequestRejectedHandler problemRequestRejectedHandler(ObjectMapper json) {
      return (request, response, rejected) ->
          Problems.write(
              json,
              request,
              response,
              Problems.refusal(
                  HttpStatus.BAD_REQUEST,
                  "invalid-request",
                  "Invalid request",
                  List.of(
                      new Problems.FieldProblem(
                          "path",
                          "is not allowed: no encoded slash, backslash, percent, period or"
                              + " semicolon, no double slash, no control character")),
                  request),
              Map.of());
    }
  }
}
