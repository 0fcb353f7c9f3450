package dev.ordersaga.messaging.config;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.mock.env.MockEnvironment;

class MessagingDefaultsTest {

  private final MessagingDefaults defaults = new MessagingDefaults();

  @Test
  void nothingIsExportedWithoutAnEndpoint() {
    MockEnvironment environment = new MockEnvironment();

    defaults.postProcessEnvironment(environment, new SpringApplication());

    assertThat(environment.getProperty("management.otlp.tracing.endpoint")).isNull();
    assertThat(environment.getProperty("management.tracing.sampling.probability")).isEqualTo("0.1");
  }

  @Test
  void theStandardOtlpEndpointGetsTheTracesPath() {
    MockEnvironment environment =
        new MockEnvironment()
            .withProperty("OTEL_EXPORTER_OTLP_ENDPOINT", "http://jaeger:4318/")
            .withProperty("OTEL_TRACES_SAMPLER_ARG", "1.0");

    defaults.postProcessEnvironment(environment, new SpringApplication());

    assertThat(environment.getProperty("management.otlp.tracing.endpoint"))
        .isEqualTo("http://jaeger:4318/v1/traces");
    assertThat(environment.getProperty("management.tracing.sampling.probability")).isEqualTo("1.0");
  }

  @Test
  void aTracesEndpointIsTakenAsItIsAndSpringsOwnSettingWins() {
    MockEnvironment environment =
        new MockEnvironment()
            .withProperty("OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4318")
            .withProperty("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "http://tempo:4318/v1/traces")
            .withProperty("management.tracing.sampling.probability", "0.5");

    defaults.postProcessEnvironment(environment, new SpringApplication());

    assertThat(environment.getProperty("management.otlp.tracing.endpoint"))
        .isEqualTo("http://tempo:4318/v1/traces");
    assertThat(environment.getProperty("management.tracing.sampling.probability")).isEqualTo("0.5");
  }
}
