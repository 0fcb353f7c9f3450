package dev.ordersaga.saga.ops;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.mongodb.client.MongoDatabase;
import com.rabbitmq.client.Connection;
import dev.ordersaga.messaging.rabbit.ParkingLot;
import dev.ordersaga.messaging.rabbit.Topology;
import dev.ordersaga.messaging.store.Leases;
import dev.ordersaga.saga.runtime.SagaRuntime;
import dev.ordersaga.saga.view.MongoSagaStatusBoard;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import org.springframework.boot.autoconfigure.security.SecurityProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The operator side: actions and their checks, bulk actions, the audit log, the stuck scan, the
 * parking queues' counts, and the {@code Idempotency-Key} of every action.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(OpsSettings.class)
public class OpsConfiguration {

  @Bean
  AuditLog opsAuditLog(MongoDatabase database, ObjectMapper mapper) {
    return new AuditLog(database, mapper);
  }

  @Bean
  OperatorActions operatorActions(
      MongoSagaStatusBoard board,
      SagaRuntime runtime,
      AuditLog audit,
      ObjectMapper mapper,
      Clock clock,
      OpsSettings settings,
      MeterRegistry meters) {
    return new OperatorActions(board, runtime, audit, mapper, clock, settings, meters);
  }

  @Bean
  BulkActions bulkActions(
      MongoSagaStatusBoard board,
      OperatorActions actions,
      AuditLog audit,
      OpsSettings settings,
      Clock clock) {
    return new BulkActions(board, actions, audit, settings, clock);
  }

  @Bean
  StuckSagaScan stuckSagaScan(
      MongoSagaStatusBoard board,
      OpsSettings settings,
      Clock clock,
      Leases leases,
      MeterRegistry meters) {
    StuckSagaScan scan = new StuckSagaScan(board, settings, clock, leases, meters);
    Gauge.builder("saga.stuck", scan, StuckSagaScan::stuck).register(meters);
    return scan;
  }

  @Bean
  IdempotencyRecords opsIdempotencyRecords(
      MongoDatabase database, Clock clock, OpsSettings settings) {
    return new IdempotencyRecords(
        database, clock, settings.idempotencyTtl(), settings.idempotencyLease());
  }

  /**
   * After Spring Security (so the operator is known, and a request without the role never claims a
   * key), on the operator API only.
   */
  @Bean
  FilterRegistrationBean<IdempotencyFilter> opsIdempotencyFilter(
      IdempotencyRecords records, MeterRegistry meters) {
    FilterRegistrationBean<IdempotencyFilter> registration =
        new FilterRegistrationBean<>(new IdempotencyFilter(records, meters));
    registration.addUrlPatterns("/ops/*");
    registration.setOrder(SecurityProperties.DEFAULT_FILTER_ORDER + 10);
    return registration;
  }

  @Bean
  ParkedQueues parkedQueues(Connection connection, Topology topology, ParkingLot parkingLot) {
    return new ParkedQueues(connection, topology, parkingLot);
  }

  @Bean
  CanaryAudit canaryAudit(AuditLog audit, ObjectMapper mapper, Clock clock) {
    return new CanaryAudit(audit, mapper, clock);
  }

  @Bean
  RequestReader opsRequestReader() {
    return new RequestReader();
  }
}
