package dev.ordersaga.saga.runtime;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ordersaga.messaging.Command;
import dev.ordersaga.messaging.Envelope;
import dev.ordersaga.messaging.Message;
import dev.ordersaga.messaging.MessageIds;
import dev.ordersaga.messaging.codec.WireCodec;
import dev.ordersaga.messaging.rabbit.ConfirmingPublisher;
import dev.ordersaga.messaging.rabbit.EarlyMessageException;
import dev.ordersaga.messaging.rabbit.RejectedMessageException;
import dev.ordersaga.messaging.tracing.CurrentTrace;
import dev.ordersaga.messaging.tracing.MessageTracing;
import dev.ordersaga.saga.OrderSaga;
import dev.ordersaga.saga.StepTimedOut;
import dev.ordersaga.saga.journal.SagaJournal;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.modelling.saga.AnnotatedSaga;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves sagas: one message, one step. The annotated {@link OrderSaga} decides (run by Axon's {@link
 * AnnotatedSaga}, the same runtime {@code SagaTestFixture} tests it with), in the version of its
 * definition that started the saga ({@link SagaVersions}: several run side by side); this class
 * keeps it.
 *
 * <p>A step, for the saga the message names ({@code sagaId} = order id):
 *
 * <ol>
 *   <li>read the saga's document by {@code _id} ({@link SagaRecords}); a message it consumed before
 *       is a redelivery: if it made the last step, that step's effects are done again (they may not
 *       have been), and nothing else happens;
 *   <li>the saga handles the message; what it decides (commands, deadline, status) is collected,
 *       not sent ({@link StepEffects});
 *   <li>if the saga has no timer early enough, its timer is set first ({@link SagaTimers}), so a
 *       crash after the next write leaves a way back to this saga;
 *   <li>one write of the saga's document: its state, status, deadline, the message's id among those
 *       consumed, and the step's outbox (the message and the commands), over the version read (a
 *       concurrent writer makes it fail and the step is computed again);
 *   <li>the commands are published (same ids on every repeat) and confirmed; the step returns;
 *   <li>beside it ({@link JournalWriter}, many steps in one write), the message and the commands
 *       are appended to the journal (idempotently, by message id); only after the confirms, so a
 *       journal that holds the step's last entry proves the step done; then the timer is dropped
 *       when the saga waits on no deadline any more.
 * </ol>
 *
 * The caller acks the message after this returns (the step is durable in the saga's document, its
 * commands are confirmed, and its journal entries are there too until they are stored); an
 * exception leaves it to be delivered again. A step whose effects were interrupted (a crash, a
 * broker away) is completed by whichever comes first: the message's redelivery, the saga's next
 * step (which first waits for the previous step's journal write and completes the step if need be),
 * or the saga's timer ({@link #wake}). Steps of one saga run one at a time in this engine (a lock
 * per saga); different sagas run at once.
 */
public class SagaRuntime implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(SagaRuntime.class);
  private static final int STRIPES = 1024;
  private static final int CONFLICT_RETRIES = 5;
  private static final int CONFIRMED_CACHE_SIZE = 100_000;
  private static final int RECENT_SAGAS = 4_096;

  private final SagaRecords records;
  private final SagaTimers timers;
  private final SagaJournal journal;
  private final ConfirmingPublisher publisher;
  private final WireCodec codec;
  private final Clock clock;
  private final Duration relayDelay;
  private final List<Object> resources;
  private final SagaVersions versions;
  private final JournalWriter journalWriter;
  private final MessageTracing tracing;

  /** Per saga, the journal write of its last step while it is not yet stored. */
  private final Map<String, CompletableFuture<Void>> journaling = new ConcurrentHashMap<>();

  private final ReentrantLock[] locks = new ReentrantLock[STRIPES];
  private final Timer steps;
  private final Counter duplicates;
  private final MeterRegistry meters;

  /**
   * The version of each saga whose effects this engine saw done, so that its next step need not
   * look them up in the journal; lost on a restart, when the journal answers instead.
   */
  private final Map<String, Long> confirmed =
      new LinkedHashMap<>(1024, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Long> eldest) {
          return size() > CONFIRMED_CACHE_SIZE;
        }
      };

  /**
   * The sagas this engine stored last, as it stored them, so that a step reads nothing: a saga
   * another engine changed since makes the step's write fail, and the step starts again from the
   * store. Ended sagas leave it.
   */
  private final Map<String, SagaRecord> recent =
      new LinkedHashMap<>(1024, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, SagaRecord> eldest) {
          return size() > RECENT_SAGAS;
        }
      };

  /**
   * An engine running the order saga's version {@value SagaVersions#V1} for every new saga, without
   * spans.
   *
   * @param codec reads and writes every message a saga consumes or sends, the engine's own events
   *     (deadlines, operator requests) included
   * @param sagaJson writes and reads the saga's state
   * @param relayDelay how long after a step the saga's timer looks whether the step's commands were
   *     sent, when the saga waits on no deadline
   * @param resources what the saga's {@code @Autowired} fields get, besides the step's effects
   */
  public SagaRuntime(
      SagaRecords records,
      SagaTimers timers,
      SagaJournal journal,
      ConfirmingPublisher publisher,
      WireCodec codec,
      ObjectMapper sagaJson,
      Clock clock,
      Duration relayDelay,
      MeterRegistry meters,
      List<Object> resources) {
    this(
        records,
        timers,
        journal,
        publisher,
        codec,
        clock,
        relayDelay,
        meters,
        resources,
        MessageTracing.NONE,
        SagaVersions.orderSaga(SagaVersions.V1, sagaJson));
  }

  /**
   * @param tracing records a span per step, a child of the consumed message's span
   * @param versions the saga's definitions this engine runs, and which one new sagas start on
   */
  public SagaRuntime(
      SagaRecords records,
      SagaTimers timers,
      SagaJournal journal,
      ConfirmingPublisher publisher,
      WireCodec codec,
      Clock clock,
      Duration relayDelay,
      MeterRegistry meters,
      List<Object> resources,
      MessageTracing tracing,
      SagaVersions versions) {
    this.versions = versions;
    this.tracing = tracing;
    this.records = records;
    this.timers = timers;
    this.journal = journal;
    this.publisher = publisher;
    this.codec = codec;
    this.clock = clock;
    this.relayDelay = relayDelay;
    this.resources = List.copyOf(resources);
    for (int i = 0; i < STRIPES; i++) {
      locks[i] = new ReentrantLock();
    }
    this.journalWriter = new JournalWriter(journal);
    this.steps =
        Timer.builder("saga.engine.steps")
            .description("One message handled by its saga, effects included")
            .register(meters);
    this.duplicates =
        Counter.builder("saga.duplicates")
            .description("Messages a saga had consumed before (redeliveries, repeats)")
            .register(meters);
    this.meters = meters;
    for (String reason : new String[] {ReplyCheck.UNKNOWN_SAGA, ReplyCheck.UNASKED_STEP}) {
      refused(reason); // registered at 0, so a dashboard shows the series before the first one
    }
  }

  private Counter refused(String reason) {
    return Counter.builder("saga.replies.refused")
        .description(
            "Replies refused and parked: for no saga, or for a command the saga never sent")
        .tag("reason", reason)
        .register(meters);
  }

  /**
   * Runs the step of the saga that {@code message} names, or completes it if the saga consumed the
   * message before. Returns once the step and its effects are durable.
   *
   * @throws RejectedMessageException for a reply the saga did not ask for, or for a saga that does
   *     not exist ({@link ReplyCheck}): the consumer parks it at once with the reason; counted in
   *     {@code saga.replies.refused{reason}}
   * @throws IllegalStateException when no saga exists for another message that does not start one
   *     (a cancellation may come before its order): the message is retried and parked in the end
   */
  public void handle(Envelope<? extends Message> message) {
    long started = System.nanoTime();
    ReentrantLock lock = lockOf(message.sagaId());
    lock.lock();
    try {
      for (int attempt = 1; ; attempt++) {
        awaitJournal(message.sagaId());
        // a message that starts a saga is not looked up first: the step inserts the saga; a saga
        // stored before meets the insert (its _id) and the step is computed again from a read.
        // The step it computed in vain leaves nothing but, at most, an early timer, which the
        // timer poller moves (commands, status and meters are effects of a stored step only)
        SagaRecord before =
            loadFor(message, attempt == 1).orElseGet(() -> SagaRecord.none(message.sagaId()));
        try {
          step(before, message);
          return;
        } catch (SagaRecords.ConflictException e) {
          if (attempt == CONFLICT_RETRIES) {
            throw e;
          }
          log.debug("{}; computing the step again", e.getMessage());
        }
      }
    } finally {
      lock.unlock();
      steps.record(Duration.ofNanos(System.nanoTime() - started));
    }
  }

  /**
   * Looks at a saga whose timer fell: completes its last step's effects if need be, fires its
   * deadline if that has passed, and sets its timer to its next deadline or drops it. For a caller
   * that did not claim the timer (tests, tools): {@link #wake(String, Instant)} with none.
   */
  public void wake(String orderId) {
    wake(orderId, null);
  }

  /**
   * {@link #wake(String)} for a timer this engine claimed ({@link SagaTimers#claim}) until {@code
   * claimedUntil}: the timer is moved or dropped only if it is still at the claim, so a timer that
   * a step (on this engine or another) set meanwhile stands. The saga is read from the store, not
   * from what this engine stored last (another engine may have moved it); a write that meets
   * another engine's step is computed again from the store.
   *
   * @param claimedUntil the claim's end, or {@code null} for an unclaimed timer
   */
  public void wake(String orderId, Instant claimedUntil) {
    ReentrantLock lock = lockOf(orderId);
    lock.lock();
    try {
      for (int attempt = 1; ; attempt++) {
        try {
          wakeOnce(orderId, claimedUntil);
          return;
        } catch (SagaRecords.ConflictException e) {
          if (attempt == CONFLICT_RETRIES) {
            throw e;
          }
          log.debug("{}; waking saga {} again", e.getMessage(), orderId);
        }
      }
    } finally {
      lock.unlock();
    }
  }

  private void wakeOnce(String orderId, Instant claimedUntil) {
    awaitJournal(orderId);
    SagaRecord record = records.find(orderId).orElse(null);
    if (record == null) {
      dropTimer(orderId, claimedUntil);
      return;
    }
    completeEffects(record);
    Deadline deadline = record.deadline();
    if (deadline != null && !deadline.at().isAfter(clock.instant())) {
      log.info("{} attempt {} of saga {} timed out", deadline.step(), deadline.attempt(), orderId);
      record =
          step(
              record,
              Envelope.of(
                  MessageIds.scoped(
                      orderId,
                      "deadline",
                      deadline.step().name(),
                      Integer.toString(deadline.attempt())),
                  null,
                  clock.instant(),
                  lastTrace(record),
                  new StepTimedOut(orderId, deadline.step(), deadline.attempt())));
    }
    if (record.deadline() != null) {
      Instant at = record.deadline().at();
      if (!at.equals(record.timerAt())) {
        // the saga's document first: it must never promise a timer later than the real one
        record = save(record, record.withTimerAt(at), true);
      }
      if (claimedUntil == null) {
        timers.put(orderId, at);
      } else {
        // not moved when a step set the timer since (the deadline's own step does): that one holds
        timers.move(orderId, claimedUntil, at);
      }
    } else {
      if (record.timerAt() != null) {
        record = save(record, record.withTimerAt(null), true);
      }
      dropTimer(orderId, claimedUntil);
    }
  }

  private void dropTimer(String orderId, Instant claimedUntil) {
    if (claimedUntil == null) {
      timers.delete(orderId);
    } else {
      timers.delete(orderId, claimedUntil);
    }
  }

  /** The trace context of the last message the saga consumed: its timeouts join that trace. */
  private Map<String, String> lastTrace(SagaRecord record) {
    if (record.lastIn() == null) {
      return Map.of();
    }
    try {
      return codec.decode(record.lastIn().getBytes(StandardCharsets.UTF_8)).trace();
    } catch (RuntimeException e) {
      return Map.of();
    }
  }

  /**
   * One step in a span of its own ({@code saga step <type>}, tagged with the saga's id and the
   * state it was in, {@code saga.state}, {@code NEW} before its first step): a child of the span
   * consuming the message, or, for the engine's own events (a deadline), of the saga's last
   * message.
   */
  private SagaRecord step(SagaRecord before, Envelope<? extends Message> message) {
    // the state's name, not the status record's toString: that formatted all fifteen fields
    // on every step, sampled or not (~5% of the engine's CPU samples)
    String state =
        before.status() == null || before.status().state() == null
            ? "NEW"
            : before.status().state().name();
    return tracing.inSpan(
        "saga step " + message.type(),
        message.trace(),
        Map.of("saga.id", before.orderId(), "saga.state", state),
        () -> decideStoreAct(before, message));
  }

  /** One step: decide, store, then act. Returns the saga as stored after it. */
  private SagaRecord decideStoreAct(SagaRecord before, Envelope<? extends Message> message) {
    String orderId = before.orderId();
    if (before.hasConsumed(message.messageId())) {
      duplicates.increment();
      completeEffects(before);
      log.debug("{} {} was consumed before", message.type(), message.messageId());
      return before;
    }
    ReplyCheck.refusal(before, message)
        .ifPresent(
            refusal -> {
              refused(refusal.reason()).increment();
              throw new RejectedMessageException(refusal.reason(), refusal.message());
            });
    completeEffects(before);
    // the saga's version is in its document: a saga finishes on the version that started it
    SagaRecord from = before;
    SagaDefinition<?> definition;
    Object saga;
    if (before.version() == 0) {
      definition = versions.forNewSaga(orderId);
      if (!definition.starts(event(message))) {
        // it may be queued behind the saga's start: the consumer tries it again later, behind it
        throw new EarlyMessageException(
            "no saga for order " + orderId + " (yet): " + message.type() + " cannot be handled");
      }
      saga = definition.create();
      from = before.startingOn(definition.version());
    } else {
      definition = versions.of(before.sagaVersion());
      saga = definition.read(before.saga());
    }
    StepEffects effects = new StepEffects(clock, CurrentTrace.orElse(message.trace()));
    List<Object> injected = new ArrayList<>(resources);
    injected.add(effects);
    boolean active = before.active() && definition.handle(orderId, saga, injected, event(message));

    List<Envelope<Command>> commands = effects.commands();
    Deadline deadline = effects.deadline(before.deadline());
    Instant needed =
        deadline != null
            ? deadline.at()
            : commands.isEmpty() ? null : clock.instant().plus(relayDelay);
    Instant timerAt = before.timerAt();
    // a timer already due should have fired: it may have been lost, so it is set again
    if (needed != null
        && (timerAt == null || needed.isBefore(timerAt) || !timerAt.isAfter(clock.instant()))) {
      timers.put(orderId, needed);
      timerAt = needed;
    }
    boolean timerExists = timerAt != null;
    Instant knownTimer = timerAt;
    SagaRecord after =
        from.next(
            active,
            definition.write(saga),
            effects.status(before.status()),
            deadline,
            message.messageId(),
            encode(message),
            commands.stream().map(this::encode).toList(),
            commands.stream().map(Envelope::messageId).toList(),
            clock.instant(),
            deadline == null ? null : timerAt);
    save(before, after, false);
    versions.stepped(before, after);
    effects.countIn(meters);
    publish(commands);
    SagaJournal.Step journaled = journalStep(after, message, commands);
    boolean dropTimer = after.timerAt() == null && timerExists;
    CompletableFuture<Void> stored =
        journalWriter
            .submit(journaled)
            .thenRun(
                () -> {
                  markDone(after);
                  if (dropTimer) {
                    // only the timer as this step knew it: one claimed or set since stands
                    timers.delete(orderId, knownTimer);
                  }
                });
    journaling.put(orderId, stored);
    stored.whenComplete((done, failed) -> journaling.remove(orderId, stored));
    return after;
  }

  /**
   * Waits until the journal write of the saga's last step has ended (stored or failed: a failed one
   * is completed by {@link #completeEffects}); every step and wake of the saga begins with this.
   */
  private void awaitJournal(String orderId) {
    CompletableFuture<Void> pending = journaling.get(orderId);
    if (pending != null) {
      try {
        pending.join();
      } catch (RuntimeException failed) {
        log.debug(
            "the journal write of saga {}'s last step failed: {}", orderId, failed.toString());
      }
    }
  }

  /** Publishes commands and waits for all their confirms. */
  private void publish(List<Envelope<Command>> commands) {
    List<ConfirmingPublisher.Confirmation> sent = new ArrayList<>();
    for (Envelope<Command> command : commands) {
      sent.add(publisher.publishAsync(command));
    }
    sent.forEach(ConfirmingPublisher.Confirmation::await);
  }

  private static SagaJournal.Step journalStep(
      SagaRecord after, Envelope<? extends Message> message, List<Envelope<Command>> commands) {
    List<SagaJournal.Entry> entries = new ArrayList<>();
    entries.add(new SagaJournal.Entry(message, true));
    commands.forEach(command -> entries.add(new SagaJournal.Entry(command, false)));
    return new SagaJournal.Step(after.orderId(), after.journalFrom(), after.journalAt(), entries);
  }

  /** Publishes the step's commands and waits for their confirms, then journals the step. */
  private void effects(
      SagaRecord after, Envelope<? extends Message> message, List<Envelope<Command>> commands) {
    publish(commands);
    journal.append(journalStep(after, message, commands));
    markDone(after);
  }

  /** Does the last step's effects again unless they are known done. */
  private void completeEffects(SagaRecord record) {
    if (record.lastIn() == null || isDone(record)) {
      return;
    }
    if (journal.contains(record.lastEffectId())) {
      markDone(record);
      return;
    }
    log.info(
        "completing the last step of saga {} (version {})", record.orderId(), record.version());
    List<Envelope<Command>> commands = new ArrayList<>();
    for (String command : record.outbox()) {
      commands.add(decodeCommand(command));
    }
    effects(record, decode(record.lastIn()), commands);
  }

  /**
   * The saga to step with {@code message}: as this engine last stored it, unless that copy would
   * refuse the message as a reply it did not ask for; then as the store has it, since another
   * engine may have stepped the saga since and sent the command it answers. With {@code trustNew},
   * a message that starts a saga and finds no copy here gets none, without a read: the step's
   * insert meets a saga stored before.
   */
  private java.util.Optional<SagaRecord> loadFor(
      Envelope<? extends Message> message, boolean trustNew) {
    String orderId = message.sagaId();
    SagaRecord cached;
    synchronized (recent) {
      cached = recent.get(orderId);
    }
    if (cached != null && ReplyCheck.refusal(cached, message).isEmpty()) {
      return java.util.Optional.of(cached);
    }
    if (cached != null) {
      synchronized (recent) {
        recent.remove(orderId, cached);
      }
    }
    if (trustNew && startsNewSaga(message)) {
      return java.util.Optional.empty();
    }
    return records.find(orderId);
  }

  private boolean startsNewSaga(Envelope<? extends Message> message) {
    return versions.forNewSaga(message.sagaId()).starts(event(message));
  }

  /**
   * Stores {@code after} over {@code before}.
   *
   * @param sameStep whether {@code after} is {@code before} with another timer only: its last step,
   *     and whether that step's effects are done, are {@code before}'s
   */
  private SagaRecord save(SagaRecord before, SagaRecord after, boolean sameStep) {
    try {
      records.save(before, after);
    } catch (SagaRecords.ConflictException e) {
      synchronized (recent) {
        recent.remove(before.orderId());
      }
      throw e;
    }
    synchronized (recent) {
      if (after.active() || after.deadline() != null) {
        recent.put(after.orderId(), after);
      } else {
        recent.remove(after.orderId());
      }
    }
    if (sameStep && isDone(before)) {
      markDone(after);
    }
    return after;
  }

  private boolean isDone(SagaRecord record) {
    synchronized (confirmed) {
      Long version = confirmed.get(record.orderId());
      return version != null && version == record.version();
    }
  }

  private void markDone(SagaRecord record) {
    synchronized (confirmed) {
      if (record.active() || record.deadline() != null) {
        confirmed.put(record.orderId(), record.version());
      } else {
        confirmed.remove(record.orderId());
      }
    }
  }

  private static EventMessage<?> event(Envelope<? extends Message> message) {
    return new GenericEventMessage<>(
        message.messageId(), message.payload(), Map.of(), message.occurredAt());
  }

  private ReentrantLock lockOf(String orderId) {
    return locks[Math.floorMod(orderId.hashCode(), STRIPES)];
  }

  private String encode(Envelope<?> envelope) {
    return new String(codec.encode(envelope), StandardCharsets.UTF_8);
  }

  private Envelope<Message> decode(String envelope) {
    return codec.decode(envelope.getBytes(StandardCharsets.UTF_8));
  }

  @SuppressWarnings("unchecked")
  private Envelope<Command> decodeCommand(String encoded) {
    Envelope<Message> envelope = decode(encoded);
    if (!(envelope.payload() instanceof Command)) {
      throw new IllegalStateException("the outbox holds a " + envelope.type() + ", not a command");
    }
    return (Envelope<Command>) (Envelope<?>) envelope;
  }

  /** Stores the journal entries handed over, then stops. */
  @Override
  public void close() {
    journalWriter.close();
  }
}
