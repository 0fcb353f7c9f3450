package dev.ordersaga.payment;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;

/** Payment service: authorizes and refunds payments through the payment provider. */
@SpringBootApplication
public class PaymentServiceApplication {

  /** Service name: its configuration file, broker connection, metrics tag and database. */
  public static final String NAME = "payment-service";

  /**
   * The application, reading {@code payment-service.yml} (not {@code application.yml}, so that all
   * five services can run in one JVM without reading each other's configuration).
   */
  public static SpringApplicationBuilder application() {
    return new SpringApplicationBuilder(PaymentServiceApplication.class)
        .properties("spring.config.name=" + NAME);
  }

  public static void main(String[] args) {
    application().run(args);
  }
}
