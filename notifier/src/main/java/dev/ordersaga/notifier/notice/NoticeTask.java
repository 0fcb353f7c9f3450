package dev.ordersaga.notifier.notice;

import java.time.Instant;

/**
 * Outstanding work for one notice, in {@value NoticeTasks#COLLECTION}: the notice is to be handed
 * to the mail server ({@link Phase#SEND}) or its {@code CustomerNotified} is to be published
 * ({@link Phase#REPORT}). It exists from when the notice is recorded until its reply is confirmed.
 *
 * @param key the notice's idempotency key, the {@code _id} of both documents
 * @param dueAt when the work is next due; while a sender holds the task, the end of its lease
 * @param attempts sending attempts begun so far
 * @param lastError why the last attempt failed, or {@code null}
 * @param version counts the task's writes, for compare-and-set
 */
public record NoticeTask(
    String key, Phase phase, Instant dueAt, int attempts, String lastError, int version) {

  /** What is left to do for the notice. */
  public enum Phase {
    /** The mail server has not accepted the notice yet. */
    SEND,
    /** The notice was sent; its {@code CustomerNotified} is not confirmed by the broker yet. */
    REPORT
  }

  /** Whether a sender may take the task at {@code now}: it is due, or its lease has run out. */
  boolean isDue(Instant now) {
    return !dueAt.isAfter(now);
  }
}
