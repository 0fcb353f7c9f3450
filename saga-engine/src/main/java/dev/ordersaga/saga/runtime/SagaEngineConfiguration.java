package dev.ordersaga.saga.runtime;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.mongodb.client.MongoDatabase;
import dev.ordersaga.messaging.config.QueueListener;
import dev.ordersaga.messaging.contracts.saga.SagaChannels;
import dev.ordersaga.messaging.rabbit.ConfirmingPublisher;
import dev.ordersaga.messaging.tracing.MessageTracing;
import dev.ordersaga.messaging.work.PeriodicWork;
import dev.ordersaga.saga.SagaSettings;
import dev.ordersaga.saga.SagaState;
import dev.ordersaga.saga.Step;
import dev.ordersaga.saga.journal.JournalReader;
import dev.ordersaga.saga.journal.JournalTypes;
import dev.ordersaga.saga.journal.SagaJournal;
import dev.ordersaga.saga.view.MongoSagaStatusBoard;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Wires the saga to the outside: the events queue straight into the saga runtime (a message moves
 * its saga in the consumer that received it), the saga's documents and timers, the journal, the
 * status board, and the poller that fires due timers.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(SagaSettings.class)
public class SagaEngineConfiguration {

  @Bean
  SagaJournal sagaJournal(EventStorageEngine storage, MongoDatabase database) {
    return new SagaJournal(storage, database);
  }

  /**
   * The saga's counters at zero from the start, so that dashboards and alerts see a series (a rate
   * of 0) before the first saga, timeout or failure rather than nothing.
   */
  @Bean
  MeterBinder sagaCountersAtZero() {
    return meters -> {
      meters.counter("saga.started");
      meters.counter("saga.completed");
      for (Step step : Step.values()) {
        meters.counter("saga.step.timeouts", "step", step.name());
      }
    };
  }

  @Bean
  JournalTypes journalTypes() {
    return JournalTypes.orderSaga();
  }

  @Bean
  JournalReader journalReader(MongoDatabase database, JournalTypes types, ObjectMapper json) {
    return new JournalReader(database, types, json);
  }

  @Bean
  SagaRecords sagaRecords(MongoDatabase database) {
    return new SagaRecords(database);
  }

  @Bean
  SagaTimers sagaTimers(MongoDatabase database, MeterRegistry meters) {
    SagaTimers timers = new SagaTimers(database);
    Gauge.builder("saga.deadlines.pending", timers, SagaTimers::pending).register(meters);
    return timers;
  }

  /**
   * The saga's versions deployed in this engine; new sagas start on {@code saga.versions.stable}
   * ({@code v1}) unless the canary routes them to the candidate.
   */
  @Bean
  SagaVersions sagaVersions(@Value("${saga.versions.stable:v1}") String stable) {
    return SagaVersions.orderSaga(stable, sagaJson());
  }

  @Bean
  SagaRuntime sagaRuntime(
      SagaRecords records,
      SagaTimers timers,
      SagaJournal journal,
      ConfirmingPublisher publisher,
      SagaSettings settings,
      Clock clock,
      MeterRegistry meters,
      MessageTracing tracing,
      SagaVersions versions,
      @Value("${saga.relay-delay:10s}") Duration relayDelay) {
    return new SagaRuntime(
        records,
        timers,
        journal,
        publisher,
        SagaMessages.codec(),
        clock,
        relayDelay,
        meters,
        List.of(settings, clock),
        tracing,
        versions);
  }

  /** The replay check: a candidate version over recorded histories, without side effects. */
  @Bean
  HistoryReplay historyReplay(
      SagaVersions versions,
      MongoSagaStatusBoard board,
      JournalReader journal,
      SagaSettings settings) {
    return new HistoryReplay(versions, board, journal, SagaMessages.codec(), settings);
  }

  /** How the saga's own state is written into its document. */
  public static ObjectMapper sagaJson() {
    return JsonMapper.builder()
        .addModule(new JavaTimeModule())
        .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
        .build();
  }

  /**
   * Every event for a saga moves it in the worker that received it; the saga's document is its
   * inbox, so the generic one is not used.
   */
  @Bean
  QueueListener sagaEvents(SagaRuntime runtime) {
    return new QueueListener(SagaChannels.EVENT_QUEUE, runtime::handle).withoutInbox();
  }

  @Bean
  MongoSagaStatusBoard sagaStatusBoard(MongoDatabase database, MeterRegistry meters) {
    MongoSagaStatusBoard board = new MongoSagaStatusBoard(database);
    Gauge.builder(
            "saga.compensation.failed.open", board, b -> b.count(SagaState.COMPENSATION_FAILED))
        .register(meters);
    return board;
  }

  @Bean
  TimerPoller timerPoller(
      SagaTimers timers,
      SagaRuntime runtime,
      Clock clock,
      @Value("${saga.timer-lease:5s}") Duration lease) {
    return new TimerPoller(timers, runtime, clock, lease);
  }

  /**
   * Runs the timer poller every {@code saga.deadline-poll-interval}, on thread {@code saga-timers}.
   */
  @Bean
  PeriodicWork sagaTimerPolling(
      TimerPoller poller,
      MeterRegistry meters,
      @Value("${saga.deadline-poll-interval:250ms}") Duration interval) {
    return PeriodicWork.named("saga-timers", meters)
        .every(interval)
        .firstAfter(Duration.ZERO)
        .build(poller::fireDue);
  }

  /**
   * Wakes the sagas whose timers fell: deadlines, and steps whose effects are not known done. Each
   * due timer is claimed first ({@link SagaTimers#claim}, until {@code saga.timer-lease} from now),
   * so of several engines one wakes a saga, and a timer whose engine died while it held it falls
   * due again when the lease ends, for any other.
   */
  public static class TimerPoller {

    private static final Logger log = LoggerFactory.getLogger(TimerPoller.class);
    private static final int BATCH = 500;

    private final SagaTimers timers;
    private final SagaRuntime runtime;
    private final Clock clock;

    private final Duration lease;

    public TimerPoller(SagaTimers timers, SagaRuntime runtime, Clock clock, Duration lease) {
      this.timers = timers;
      this.runtime = runtime;
      this.clock = clock;
      this.lease = lease;
    }

    /** One round: wakes the sagas whose timers are due ({@link #sagaTimerPolling} runs it). */
    public void fireDue() {
      for (SagaTimers.Due due : timers.due(clock.instant(), BATCH)) {
        try {
          Instant claimedUntil = clock.instant().plus(lease);
          if (timers.claim(due, claimedUntil)) {
            runtime.wake(due.orderId(), claimedUntil);
          }
        } catch (RuntimeException e) {
          // the timer falls due again when the claim ends: this engine or another tries again
          log.warn(
              "waking saga {} failed; trying again within {}: {}",
              due.orderId(),
              lease,
              e.toString());
        }
      }
    }
  }
}
