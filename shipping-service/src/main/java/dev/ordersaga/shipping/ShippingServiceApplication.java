package dev.ordersaga.shipping;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;

/** Shipping service: schedules and cancels shipments with carriers. */
@SpringBootApplication
public class ShippingServiceApplication {

  /** Service name: its configuration file, broker connection, metrics tag and database. */
  public static final String NAME = "shipping-service";

  /**
   * The application, reading {@code shipping-service.yml} (not {@code application.yml}, so that all
   * five services can run in one JVM without reading each other's configuration).
   */
  public static SpringApplicationBuilder application() {
    return new SpringApplicationBuilder(ShippingServiceApplication.class)
        .properties("spring.config.name=" + NAME);
  }

  public static void main(String[] args) {
    application().run(args);
  }
}
