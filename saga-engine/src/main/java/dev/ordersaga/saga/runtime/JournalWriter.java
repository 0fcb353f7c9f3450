package dev.ordersaga.saga.runtime;

import dev.ordersaga.saga.journal.SagaJournal;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Appends steps' journal entries beside the steps, not in their way: a step hands its entries over
 * once its commands are confirmed and goes on; one thread appends whatever steps (of any sagas) are
 * waiting, in one write. Each step gets a future that completes once its entries are stored.
 * Nothing is lost meanwhile: until the entries are stored they are also in the saga's document (its
 * last step's outbox), and the saga's next step waits for them first.
 */
final class JournalWriter implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(JournalWriter.class);
  private static final int MAX_STEPS_PER_WRITE = 256;

  private record Pending(SagaJournal.Step step, CompletableFuture<Void> stored) {}

  private final SagaJournal journal;
  private final BlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
  private final Thread thread;
  private volatile boolean running = true;

  JournalWriter(SagaJournal journal) {
    this.journal = journal;
    this.thread = new Thread(this::run, "saga-journal-writer");
    this.thread.setDaemon(true);
    this.thread.start();
  }

  /** Appends the step's entries soon; the future completes once they are stored. */
  CompletableFuture<Void> submit(SagaJournal.Step step) {
    CompletableFuture<Void> stored = new CompletableFuture<>();
    if (!running) {
      stored.completeExceptionally(new IllegalStateException("the journal writer is closed"));
      return stored;
    }
    queue.add(new Pending(step, stored));
    return stored;
  }

  private void run() {
    List<Pending> batch = new ArrayList<>();
    while (running || !queue.isEmpty()) {
      try {
        Pending first = queue.poll(100, TimeUnit.MILLISECONDS);
        if (first == null) {
          continue;
        }
        batch.add(first);
        queue.drainTo(batch, MAX_STEPS_PER_WRITE - 1);
        write(batch);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      } finally {
        batch.clear();
      }
    }
    Pending left;
    while ((left = queue.poll()) != null) {
      left.stored().completeExceptionally(new IllegalStateException("journal writer stopped"));
    }
  }

  private void write(List<Pending> batch) {
    try {
      journal.appendAll(batch.stream().map(Pending::step).toList());
      batch.forEach(p -> p.stored().complete(null));
    } catch (RuntimeException e) {
      log.warn(
          "journal write of {} step(s) failed; each saga completes its step later: {}",
          batch.size(),
          e.toString());
      batch.forEach(p -> p.stored().completeExceptionally(e));
    }
  }

  /** Stores what was handed over, then stops. */
  @Override
  public void close() {
    running = false;
    try {
      thread.join(TimeUnit.SECONDS.toMillis(10));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
