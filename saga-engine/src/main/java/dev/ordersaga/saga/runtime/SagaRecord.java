package dev.ordersaga.saga.runtime;

import dev.ordersaga.saga.SagaStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * One saga as the engine stores it: a single document addressed by the order id, written once per
 * step. It holds the saga's state, its status for operators and analysts, the deadline it waits on,
 * the ids of the messages it consumed (a redelivery is recognised), and what the last step must
 * have done: the message it consumed and the commands it sent (its outbox), which are sent again,
 * with the same ids, when the step's effects are not known to be done.
 *
 * @param version counts the writes of this document; a write succeeds only over the version it was
 *     computed from
 * @param active false once the saga ended ({@code SagaLifecycle.end()}): it handles nothing more
 * @param saga the saga's own state (the annotated saga's fields) as JSON
 * @param consumed ids of every message the saga consumed
 * @param lastIn the encoded envelope the last step consumed, {@code null} before the first
 * @param outbox the encoded commands the last step sent
 * @param journalFrom the journal sequence number of {@code lastIn}; the outbox follows it
 * @param journalAt the recorded time of {@code lastIn} in the journal; each further entry of the
 *     step is recorded a millisecond later, so the journal's recorded order is the saga's order
 * @param timerAt when this saga's timer document fires, or {@code null} when it has none
 * @param asked ids of every command the saga sent, so that a reply naming a command it never sent
 *     is told from a late one ({@link ReplyCheck}); {@code null} for a saga stored before the
 *     engine kept them, whose replies are all taken
 * @param sagaVersion the version of the saga's definition that started it ({@link SagaVersions});
 *     {@code null} for a saga stored before versions were recorded (version {@value
 *     SagaVersions#V1}) and before the first step
 */
public record SagaRecord(
    String orderId,
    long version,
    boolean active,
    String saga,
    SagaStatus status,
    Deadline deadline,
    List<String> consumed,
    String lastIn,
    String lastInId,
    List<String> outbox,
    List<String> outboxIds,
    long journalFrom,
    Instant journalAt,
    Instant timerAt,
    List<String> asked,
    String sagaVersion) {

  public SagaRecord {
    consumed = List.copyOf(consumed);
    outbox = List.copyOf(outbox);
    outboxIds = List.copyOf(outboxIds);
    asked = asked == null ? null : List.copyOf(asked);
  }

  /**
   * Whether the saga sent the command {@code commandId}; always true for a saga stored before the
   * engine kept the ids of what it sent.
   */
  public boolean hasAsked(String commandId) {
    return asked == null || asked.contains(commandId);
  }

  /** The journal sequence number the next step's first entry takes. */
  public long nextJournalSequence() {
    return lastIn == null ? journalFrom : journalFrom + 1 + outbox.size();
  }

  /** The id of the last journal entry of the last step: once it is stored, the step is done. */
  public String lastEffectId() {
    return outboxIds.isEmpty() ? lastInId : outboxIds.get(outboxIds.size() - 1);
  }

  /** When the next step's first journal entry is recorded: now, but after this step's entries. */
  public Instant nextJournalTime(Instant now) {
    if (journalAt == null) {
      return now;
    }
    Instant afterLast = journalAt.plusMillis(1 + outbox.size());
    return now.isBefore(afterLast) ? afterLast : now;
  }

  public boolean hasConsumed(String messageId) {
    return consumed.contains(messageId);
  }

  /** The record after a step that consumed {@code inId}. */
  SagaRecord next(
      boolean nowActive,
      String nowSaga,
      SagaStatus nowStatus,
      Deadline nowDeadline,
      String inId,
      String in,
      List<String> sent,
      List<String> sentIds,
      Instant now,
      Instant nowTimerAt) {
    List<String> allConsumed = new ArrayList<>(consumed);
    allConsumed.add(inId);
    List<String> allAsked = null;
    if (asked != null) {
      allAsked = new ArrayList<>(asked);
      for (String id : sentIds) {
        if (!allAsked.contains(id)) {
          allAsked.add(id);
        }
      }
    }
    return new SagaRecord(
        orderId,
        version + 1,
        nowActive,
        nowSaga,
        nowStatus,
        nowDeadline,
        allConsumed,
        in,
        inId,
        sent,
        sentIds,
        nextJournalSequence(),
        nextJournalTime(now),
        nowTimerAt,
        allAsked,
        sagaVersion);
  }

  /** The version of the saga's definition: the one recorded, else {@value SagaVersions#V1}. */
  public String versionName() {
    return sagaVersion == null ? SagaVersions.V1 : sagaVersion;
  }

  /** A saga not stored yet, to be started on {@code version}. */
  SagaRecord startingOn(String version) {
    return new SagaRecord(
        orderId,
        this.version,
        active,
        saga,
        status,
        deadline,
        consumed,
        lastIn,
        lastInId,
        outbox,
        outboxIds,
        journalFrom,
        journalAt,
        timerAt,
        asked,
        version);
  }

  /** The same saga with another timer. */
  SagaRecord withTimerAt(Instant at) {
    return new SagaRecord(
        orderId,
        version + 1,
        active,
        saga,
        status,
        deadline,
        consumed,
        lastIn,
        lastInId,
        outbox,
        outboxIds,
        journalFrom,
        journalAt,
        at,
        asked,
        sagaVersion);
  }

  /** Before the first step: no record is stored yet. */
  static SagaRecord none(String orderId) {
    return new SagaRecord(
        orderId, 0, true, null, null, null, List.of(), null, null, List.of(), List.of(), 0, null,
        null, List.of(), null);
  }
}
