package dev.ordersaga.messaging.store;

import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Group commit: writers that finished their change wait until it is on disk, and every writer
 * waiting at the same time shares one commit and one sync.
 *
 * <p>A writer takes a ticket after its change and waits until a commit that started after its
 * ticket has synced. One committer thread runs the commits: it notes the newest ticket, commits and
 * syncs everything changed so far, and then releases every writer up to that ticket. Writers that
 * arrive while a commit runs are released together by the next one. A failed commit fails every
 * waiting writer and every later one: the store is then broken (H2 closes itself after a failed
 * write) and must be reopened.
 */
final class GroupCommit implements AutoCloseable {

  /** Writes that waited for a commit so far, and the commits (each with its sync) that ran. */
  record Stats(long writes, long commits) {}

  private final Runnable commitAndSync;
  private final Thread committer;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition ticketTaken = lock.newCondition();
  private final Condition committed = lock.newCondition();

  // guarded by lock
  private long lastTicket;
  private long committedTicket;
  private long commits;
  private RuntimeException failure;
  private boolean closed;

  /**
   * Starts the committer thread.
   *
   * @param commitAndSync makes every change so far durable; throws if it cannot
   */
  GroupCommit(String name, Runnable commitAndSync) {
    this.commitAndSync = commitAndSync;
    this.committer = new Thread(this::run, "store-commit-" + name);
    committer.setDaemon(true);
    committer.start();
  }

  /**
   * Waits until everything this thread has changed so far is durable.
   *
   * @throws IllegalStateException if a commit failed or the store is closed
   */
  void awaitDurable() {
    lock.lock();
    try {
      checkUsable();
      long ticket = ++lastTicket;
      ticketTaken.signal();
      while (committedTicket < ticket) {
        if (failure != null) {
          throw new IllegalStateException("the store could not commit a write", failure);
        }
        committed.awaitUninterruptibly();
      }
    } finally {
      lock.unlock();
    }
  }

  Stats stats() {
    lock.lock();
    try {
      return new Stats(lastTicket, commits);
    } finally {
      lock.unlock();
    }
  }

  /** Commits what writers are waiting for, then stops the committer. */
  @Override
  public void close() {
    lock.lock();
    try {
      closed = true;
      ticketTaken.signal();
    } finally {
      lock.unlock();
    }
    boolean interrupted = false;
    while (committer.isAlive()) {
      try {
        committer.join();
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  private void checkUsable() {
    if (failure != null) {
      throw new IllegalStateException("the store could not commit an earlier write", failure);
    }
    if (closed) {
      throw new IllegalStateException("the store is closed");
    }
  }

  private void run() {
    while (true) {
      long upTo;
      lock.lock();
      try {
        while (lastTicket == committedTicket && !closed) {
          ticketTaken.awaitUninterruptibly();
        }
        if (lastTicket == committedTicket) {
          return;
        }
        upTo = lastTicket;
      } finally {
        lock.unlock();
      }
      RuntimeException failed = null;
      try {
        commitAndSync.run();
      } catch (RuntimeException e) {
        failed = e;
      }
      lock.lock();
      try {
        if (failed != null) {
          failure = failed;
        } else {
          committedTicket = upTo;
          commits++;
        }
        committed.signalAll();
      } finally {
        lock.unlock();
      }
      if (failed != null) {
        return;
      }
    }
  }
}
