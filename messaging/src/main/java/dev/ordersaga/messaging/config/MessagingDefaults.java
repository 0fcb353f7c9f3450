package dev.ordersaga.messaging.config;

import java.util.Map;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Defaults every service shares, at the lowest precedence so a service's own configuration wins:
 * health and Prometheus endpoints exposed, health details shown; the OpenAPI document's settings;
 * Tomcat's own report of a request it cannot parse (a stack trace and the offending header, at
 * INFO) left out, as the one line {@code web/ProblemErrorReportValve} logs for it says what was
 * refused.
 */
public class MessagingDefaults implements EnvironmentPostProcessor {

  @Override
  public void postProcessEnvironment(
      ConfigurableEnvironment environment, SpringApplication application) {
    environment
        .getPropertySources()
        .addLast(
            new MapPropertySource(
                "messagingDefaults",
                Map.of(
                    "management.endpoints.web.exposure.include", "health,info,prometheus",
                    // OpenAPI (ApiDocsAutoConfiguration): keys sorted, so the committed documents
                    // compare line by line; no answers guessed from the exception handlers; not
                    // the error page; on (said, so springdoc does not warn that it is on by
                    // default)
                    "springdoc.writer-with-order-by-keys", "true",
                    "springdoc.override-with-generic-response", "false",
                    "springdoc.paths-to-exclude", "/error",
                    "springdoc.api-docs.enabled", "true",
                    "springdoc.swagger-ui.enabled", "true",
                    "management.endpoint.health.show-details", "always",
                    "spring.main.banner-mode", "off",
                    "logging.level.org.apache.coyote.http11.Http11Processor", "WARN")));
  }
}
