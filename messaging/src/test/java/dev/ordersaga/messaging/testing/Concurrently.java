package dev.ordersaga.messaging.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.IntFunction;

/**
 * Runs calls on threads of their own, released together, as the consumer's worker threads (or
 * several instances) would run them.
 */
public final class Concurrently {

  private Concurrently() {}

  /**
   * Runs {@code call} for 0 to {@code count - 1} at once and returns the results in that order.
   *
   * @throws IllegalStateException carrying the first call's failure, or if they take over a minute
   */
  public static <T> List<T> run(int count, IntFunction<T> call) {
    ExecutorService threads = Executors.newFixedThreadPool(count);
    CountDownLatch start = new CountDownLatch(1);
    try {
      List<Future<T>> futures = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        int index = i;
        futures.add(
            threads.submit(
                () -> {
                  start.await();
                  return call.apply(index);
                }));
      }
      start.countDown();
      List<T> results = new ArrayList<>();
      for (Future<T> future : futures) {
        results.add(future.get(1, TimeUnit.MINUTES));
      }
      return results;
    } catch (ExecutionException e) {
      throw new IllegalStateException("a concurrent call failed", e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } catch (TimeoutException e) {
      throw new IllegalStateException("concurrent calls did not finish", e);
    } finally {
      threads.shutdownNow();
    }
  }
}
