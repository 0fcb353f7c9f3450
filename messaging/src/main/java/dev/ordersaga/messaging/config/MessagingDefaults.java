package dev.ordersaga.messaging.config;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
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
 *
 * <p>Tracing: spans are kept for {@code OTEL_TRACES_SAMPLER_ARG} of the traces (a probability, 0.1
 * unless set; {@code management.tracing.sampling.probability} wins) and exported over OTLP/HTTP
 * only when an endpoint is set: {@code management.otlp.tracing.endpoint}, or the standard {@code
 * OTEL_EXPORTER_OTLP_TRACES_ENDPOINT} / {@code OTEL_EXPORTER_OTLP_ENDPOINT} (to which {@code
 * /v1/traces} is added). Without one nothing leaves the process, and the trace context still
 * travels with every request and message (and into the logs and the journal). Metrics carry no
 * exemplars: a Prometheus older than 2.43 refuses a scrape with one on a histogram's {@code
 * _count}.
 */
public class MessagingDefaults implements EnvironmentPostProcessor {

  @Override
  public void postProcessEnvironment(
      ConfigurableEnvironment environment, SpringApplication application) {
    Map<String, Object> defaults = new HashMap<>();
    defaults.put("management.endpoints.web.exposure.include", "health,info,prometheus");
    // OpenAPI (ApiDocsAutoConfiguration): keys sorted, so the committed documents compare line by
    // line; no answers guessed from the exception handlers; not the error page; on (said, so
    // springdoc does not warn that it is on by default)
    defaults.put("springdoc.writer-with-order-by-keys", "true");
    defaults.put("springdoc.override-with-generic-response", "false");
    defaults.put("springdoc.paths-to-exclude", "/error");
    defaults.put("springdoc.api-docs.enabled", "true");
    defaults.put("springdoc.swagger-ui.enabled", "true");
    defaults.put("management.endpoint.health.show-details", "always");
    defaults.put("spring.main.banner-mode", "off");
    defaults.put("logging.level.org.apache.coyote.http11.Http11Processor", "WARN");
    // no exemplars (trace ids on metric samples): Prometheus before 2.43 (Debian 12 ships 2.42)
    // drops a whole scrape that has one on a histogram's _count
    defaults.put(
        "spring.autoconfigure.exclude",
        "org.springframework.boot.actuate.autoconfigure.tracing.prometheus"
            + ".PrometheusExemplarsAutoConfiguration");
    defaults.put(
        "management.tracing.sampling.probability",
        environment.getProperty("OTEL_TRACES_SAMPLER_ARG", "0.1"));
    otlpEndpoint(environment)
        .ifPresent(endpoint -> defaults.put("management.otlp.tracing.endpoint", endpoint));
    environment.getPropertySources().addLast(new MapPropertySource("messagingDefaults", defaults));
  }

  /** Where spans go, from OpenTelemetry's standard variables. */
  static Optional<String> otlpEndpoint(ConfigurableEnvironment environment) {
    String traces = environment.getProperty("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT");
    if (traces != null && !traces.isBlank()) {
      return Optional.of(traces.strip());
    }
    String base = environment.getProperty("OTEL_EXPORTER_OTLP_ENDPOINT");
    if (base != null && !base.isBlank()) {
      String stripped = base.strip();
      return Optional.of(
          (stripped.endsWith("/") ? stripped.substring(0, stripped.length() - 1) : stripped)
              + "/v1/traces");
    }
    return Optional.empty();
  }
}
