package dev.ordersaga.messaging.config;

import java.util.Map;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Defaults every service shares, at the lowest precedence so a service's own configuration wins:
 * health and Prometheus endpoints exposed, health details shown; Tomcat's own report of a request
 * it cannot parse (a stack trace and the offending header, at INFO) left out, as the one line
 * {@code web/ProblemErrorReportValve} logs for it says what was refused.
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
                    "management.endpoint.health.show-details", "always",
                    "spring.main.banner-mode", "off",
                    "logging.level.org.apache.coyote.http11.Http11Processor", "WARN")));
  }
}
