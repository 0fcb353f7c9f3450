package dev.ordersaga.notifier;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;

/** Notifier: sends customers a notice of each order's final outcome, once. */
@SpringBootApplication
public class NotifierApplication {

  /** Service name: its configuration file, broker connection, metrics tag and database. */
  public static final String NAME = "notifier";

  /**
   * The application, reading {@code notifier.yml} (not {@code application.yml}, so that all five
   * services can run in one JVM without reading each other's configuration).
   */
  public static SpringApplicationBuilder application() {
    return new SpringApplicationBuilder(NotifierApplication.class)
        .properties("spring.config.name=" + NAME);
  }

  public static void main(String[] args) {
    application().run(args);
  }
}
