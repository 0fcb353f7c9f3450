package dev.ordersaga.saga;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;

/** Saga engine: orchestrates every order saga with Axon Framework. */
@SpringBootApplication
public class SagaEngineApplication {

  /** Service name: its configuration file, broker connection, metrics tag and database. */
  public static final String NAME = "saga-engine";

  /**
   * The application, reading {@code saga-engine.yml} (not {@code application.yml}, so that all five
   * services can run in one JVM without reading each other's configuration).
   */
  public static SpringApplicationBuilder application() {
    // Axon's update checker phones home; nothing here may, and axon.update-check.disabled alone
    // does not stop the checker that the Axon configuration module starts
    System.getProperties().putIfAbsent("axoniq.update-checker.disabled", "true");
    return new SpringApplicationBuilder(SagaEngineApplication.class)
        .properties("spring.config.name=" + NAME);
  }

  public static void main(String[] args) {
    application().run(args);
  }
}
