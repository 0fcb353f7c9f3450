package dev.ordersaga.messaging.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class GroupCommitTest {

  @Test
  void writersThatArriveDuringACommitShareTheNextOne() throws Exception {
    CountDownLatch firstCommitMayEnd = new CountDownLatch(1);
    AtomicInteger commitsStarted = new AtomicInteger();
    try (GroupCommit groupCommit =
        new GroupCommit(
            "test",
            () -> {
              if (commitsStarted.incrementAndGet() == 1) {
                awaitUninterruptibly(firstCommitMayEnd);
              }
            })) {
      CompletableFuture<Void> first = runAsync(groupCommit::awaitDurable);
      await().until(() -> commitsStarted.get() == 1);

      List<CompletableFuture<Void>> later = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        later.add(runAsync(groupCommit::awaitDurable));
      }
      await().until(() -> groupCommit.stats().writes() == 6);
      assertThat(first).isNotDone();
      assertThat(later).noneMatch(CompletableFuture::isDone);

      firstCommitMayEnd.countDown();
      first.get(10, TimeUnit.SECONDS);
      for (CompletableFuture<Void> writer : later) {
        writer.get(10, TimeUnit.SECONDS);
      }
      assertThat(groupCommit.stats()).isEqualTo(new GroupCommit.Stats(6, 2));
    }
  }

  @Test
  void aFailedCommitFailsItsWritersAndEveryLaterOne() {
    try (GroupCommit groupCommit =
        new GroupCommit(
            "test",
            () -> {
              throw new IllegalStateException("disk gone");
            })) {
      assertThatThrownBy(groupCommit::awaitDurable)
          .isInstanceOf(IllegalStateException.class)
          .hasRootCauseMessage("disk gone");
      assertThatThrownBy(groupCommit::awaitDurable)
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("earlier write");
      assertThat(groupCommit.stats().commits()).isZero();
    }
  }

  @Test
  void closingCommitsWhatWritersWaitForAndRefusesLaterWriters() throws Exception {
    CountDownLatch commitMayEnd = new CountDownLatch(1);
    GroupCommit groupCommit = new GroupCommit("test", () -> awaitUninterruptibly(commitMayEnd));
    CompletableFuture<Void> writer = runAsync(groupCommit::awaitDurable);
    await().until(() -> groupCommit.stats().writes() == 1);
    Thread closing = new Thread(groupCommit::close);
    closing.start();
    // close() joins the committer, which is still in its commit
    await().until(() -> closing.getState() == Thread.State.WAITING);
    assertThat(writer).isNotDone();

    commitMayEnd.countDown();
    closing.join(10_000);
    assertThat(closing.isAlive()).isFalse();
    writer.get(10, TimeUnit.SECONDS);
    assertThat(groupCommit.stats()).isEqualTo(new GroupCommit.Stats(1, 1));
    assertThatThrownBy(groupCommit::awaitDurable).hasMessage("the store is closed");
  }

  private static CompletableFuture<Void> runAsync(Runnable task) {
    return CompletableFuture.runAsync(task, command -> new Thread(command).start());
  }

  private static void awaitUninterruptibly(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
