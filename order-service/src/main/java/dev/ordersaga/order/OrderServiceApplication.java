package dev.ordersaga.order;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;

/** Order service: the shopper's REST API and the orders store. */
@SpringBootApplication
public class OrderServiceApplication {

  /** Service name: its configuration file, broker connection, metrics tag and database. */
  public static final String NAME = "order-service";

  /**
   * The application, reading {@code order-service.yml} (not {@code application.yml}, so that all
   * five services can run in one JVM without reading each other's configuration).
   */
  public static SpringApplicationBuilder application() {
    return new SpringApplicationBuilder(OrderServiceApplication.class)
        .properties("spring.config.name=" + NAME);
  }

  public static void main(String[] args) {
    application().run(args);
  }
}
