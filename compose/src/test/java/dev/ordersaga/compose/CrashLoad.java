package dev.ordersaga.compose;

import static org.awaitility.Awaitility.await;
import static org.awaitility.pollinterval.IterativePollInterval.iterative;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ordersaga.compose.SystemApi.Answer;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;
import org.awaitility.core.ConditionTimeoutException;

/**
 * Shoppers placing orders over REST while the system is killed and restarted under them. Each
 * worker places an order with an {@code Idempotency-Key}, cancels it right away if it is of that
 * kind, follows it for a while, then places the next; so about {@code concurrency} sagas are in
 * flight. A POST that gets no answer (refused while the system is down, reset by the kill, timed
 * out) or a 5xx is sent again with the same key and the same body until it is answered; the order
 * counts only from its 201. A watcher looks once a second at the answered orders no worker follows
 * any more, so the test knows (to about a second) when each order became final.
 */
final class CrashLoad {

  /** How long a worker follows its order before it places the next one regardless. */
  private static final Duration FOLLOW = Duration.ofSeconds(20);

  /** How long after {@link #stopPlacing} a POST still unanswered is given. */
  private static final Duration LAST_ANSWER = Duration.ofSeconds(90);

  private final SystemApi api;
  private final List<String> shoppers;
  private final String password;
  private final long seed;
  private final int concurrency;
  private final IntSupplier run;
  private final LongSupplier clock;

  private final ConcurrentLinkedQueue<TrackedOrder> orders = new ConcurrentLinkedQueue<>();
  private final AtomicInteger sequence = new AtomicInteger();
  private final AtomicBoolean placing = new AtomicBoolean(true);
  private final AtomicInteger postsOpen = new AtomicInteger();
  private final Set<TrackedOrder> followed = ConcurrentHashMap.newKeySet();
  private ExecutorService workers;
  private ScheduledExecutorService watcher;
  private ExecutorService looks;
  private volatile long giveUpAtNanos = Long.MAX_VALUE;
  private volatile int limit = Integer.MAX_VALUE;
  private volatile boolean paused;

  /**
   * @param run the launcher run now in progress (1 = first start)
   * @param clock milliseconds since the test began
   */
  CrashLoad(
      SystemApi api,
      List<String> shoppers,
      String password,
      long seed,
      int concurrency,
      IntSupplier run,
      LongSupplier clock) {
    this.api = api;
    this.shoppers = List.copyOf(shoppers);
    this.password = password;
    this.seed = seed;
    this.concurrency = concurrency;
    this.run = run;
    this.clock = clock;
  }

  /**
   * The kind of the n-th order: from the seed alone, so a replay places the same mix: about 10%
   * declined, 5% undeliverable, 4% cancelled, the rest paid and shipped.
   */
  static TrackedOrder.Kind kindOf(long seed, int n) {
    int roll = new SplittableRandom(seed * 1_000_003L + n).nextInt(100);
    if (roll < 10) {
      return TrackedOrder.Kind.DECLINED;
    }
    if (roll < 15) {
      return TrackedOrder.Kind.UNDELIVERABLE;
    }
    if (roll < 19) {
      return TrackedOrder.Kind.CANCELLED;
    }
    return TrackedOrder.Kind.PAID_AND_SHIPPED;
  }

  void start() {
    workers = Executors.newFixedThreadPool(concurrency, daemon("crash-shopper"));
    for (int i = 0; i < concurrency; i++) {
      workers.execute(this::work);
    }
    looks = Executors.newFixedThreadPool(4, daemon("crash-look"));
    watcher = Executors.newSingleThreadScheduledExecutor(daemon("crash-watcher"));
    watcher.scheduleWithFixedDelay(this::watch, 1, 1, TimeUnit.SECONDS);
  }

  /** Places no more than {@code orders} orders in all (begun, counting those begun so far). */
  CrashLoad limitTo(int orders) {
    this.limit = orders;
    return this;
  }

  /** Workers place no new order until {@link #resume} (those begun go on to their answer). */
  void pause() {
    paused = true;
  }

  void resume() {
    paused = false;
  }

  /** Answered orders seen final so far. */
  long finished() {
    return orders.stream().filter(o -> o.answered() && o.seenFinal()).count();
  }

  /** Orders answered 201 so far. */
  long answered() {
    return orders.stream().filter(TrackedOrder::answered).count();
  }

  /** Stops the watcher (after the final wait). */
  void stopWatching() throws InterruptedException {
    watcher.shutdownNow();
    looks.shutdownNow();
    watcher.awaitTermination(30, TimeUnit.SECONDS);
    looks.awaitTermination(30, TimeUnit.SECONDS);
  }

  /** Answered orders not seen final yet. */
  long unfinished() {
    return orders.stream().filter(o -> o.answered() && !o.seenFinal()).count();
  }

  /** One look at every answered order that is not final and that no worker follows. */
  private void watch() {
    List<Callable<Boolean>> round = new ArrayList<>();
    for (TrackedOrder order : orders) {
      if (order.answered() && !order.seenFinal() && !followed.contains(order)) {
        round.add(() -> look(order));
      }
    }
    try {
      looks.invokeAll(round);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static ThreadFactory daemon(String name) {
    return r -> {
      Thread thread = new Thread(r, name);
      thread.setDaemon(true);
      return thread;
    };
  }

  /** No new orders from now on; a POST still without an answer is sent again for a while longer. */
  void stopPlacing() {
    placing.set(false);
    giveUpAtNanos = System.nanoTime() + LAST_ANSWER.toNanos();
  }

  /** Waits until every worker is done; false if some are not within the time. */
  boolean awaitWorkers(Duration atMost) throws InterruptedException {
    workers.shutdown();
    boolean done = workers.awaitTermination(atMost.toMillis(), TimeUnit.MILLISECONDS);
    if (!done) {
      workers.shutdownNow();
    }
    return done;
  }

  /** POSTs sent and not yet answered. */
  int postsOpen() {
    return postsOpen.get();
  }

  /** Answered orders a worker follows now, not yet seen final: sagas in flight. */
  int following() {
    return followed.size();
  }

  /** Every order begun, answered or not. */
  List<TrackedOrder> orders() {
    return new ArrayList<>(orders);
  }

  private void work() {
    while (placing.get()) {
      if (paused) {
        await("placing resumed")
            .atMost(Duration.ofMinutes(10))
            .pollInSameThread()
            .pollInterval(Duration.ofMillis(100))
            .until(() -> !paused || !placing.get());
        continue;
      }
      TrackedOrder order = next();
      if (order == null) {
        return; // the limit is reached
      }
      if (!placeUntilAnswered(order)) {
        return;
      }
      if (order.refusal != null) {
        continue;
      }
      if (order.kind == TrackedOrder.Kind.CANCELLED) {
        cancelUntilAnswered(order);
      }
      follow(order);
    }
  }

  private TrackedOrder next() {
    int n = sequence.getAndIncrement();
    if (n >= limit) {
      return null;
    }
    TrackedOrder order = new TrackedOrder(n, shoppers.get(n % shoppers.size()), kindOf(seed, n));
    orders.add(order);
    return order;
  }

  /**
   * Sends the POST, and again with the same key and body while no answer comes; false if it gave up
   * (only after {@link #stopPlacing}, or after minutes without an answer).
   */
  private boolean placeUntilAnswered(TrackedOrder order) {
    ObjectNode body =
        ShopperClient.order(
            "crash-" + order.sequence,
            order.sequence % 2 == 0 ? "ko" : "en",
            order.kind.country,
            order.kind.token);
    postsOpen.incrementAndGet();
    try {
      await("an answer to POST /orders with key " + order.idempotencyKey)
          .atMost(Duration.ofMinutes(5))
          .pollInSameThread()
          .pollDelay(Duration.ZERO)
          .pollInterval(Duration.ofMillis(250))
          .until(() -> System.nanoTime() > giveUpAtNanos || tryPlace(order, body));
      return order.answered() || order.refusal != null;
    } catch (ConditionTimeoutException e) {
      return false;
    } finally {
      postsOpen.decrementAndGet();
    }
  }

  /** One POST; true when it was answered with a 201 or refused with a 4xx. */
  private boolean tryPlace(TrackedOrder order, ObjectNode body) throws InterruptedException {
    int runOfAttempt = run.getAsInt();
    Answer answer;
    try {
      answer =
          api.post(
              SystemApi.base("order-service") + "/orders",
              SystemApi.basic(order.shopper, password),
              body,
              order.idempotencyKey);
    } catch (IOException e) {
      order.unanswered.incrementAndGet();
      return false;
    }
    if (answer.status() == 201) {
      order.total = new BigDecimal(answer.body().at("/total/amount").asText());
      order.answeredInRun = runOfAttempt;
      order.answeredAtMillis = clock.getAsLong();
      order.replayed = answer.replayed();
      order.lastStatus = answer.body().path("status").asText();
      order.orderId = answer.body().path("orderId").asText();
      return true;
    }
    if (answer.status() >= 500) {
      order.unanswered.incrementAndGet();
      return false;
    }
    order.refusal = answer.status() + " " + answer.body();
    return true;
  }

  private void cancelUntilAnswered(TrackedOrder order) {
    try {
      await("an answer to the cancellation of " + order.orderId)
          .atMost(Duration.ofMinutes(5))
          .pollInSameThread()
          .pollDelay(Duration.ZERO)
          .pollInterval(Duration.ofMillis(250))
          .until(() -> System.nanoTime() > giveUpAtNanos || tryCancel(order));
    } catch (ConditionTimeoutException e) {
      order.cancelAnswer = "no answer";
    }
  }

  private boolean tryCancel(TrackedOrder order) throws InterruptedException {
    try {
      Answer answer =
          api.post(
              SystemApi.base("order-service") + "/orders/" + order.orderId + "/cancel",
              SystemApi.basic(order.shopper, password),
              null,
              null);
      if (answer.status() >= 500) {
        return false;
      }
      order.cancelAnswer = Integer.toString(answer.status());
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** Polls the order until it is final, the follow time is up, or placing stops. */
  private void follow(TrackedOrder order) {
    followed.add(order);
    try {
      await("order " + order.orderId + " final")
          .atMost(FOLLOW)
          .pollInSameThread()
          .pollInterval(
              iterative(
                  d ->
                      d.multipliedBy(3).dividedBy(2).compareTo(Duration.ofSeconds(1)) > 0
                          ? Duration.ofSeconds(1)
                          : d.multipliedBy(3).dividedBy(2),
                  Duration.ofMillis(100)))
          .until(() -> !placing.get() || look(order));
    } catch (ConditionTimeoutException e) {
      // the final wait looks at it again
    } finally {
      followed.remove(order);
    }
  }

  /** One GET of the order; true when it is final. No answer counts as not final. */
  boolean look(TrackedOrder order) throws InterruptedException {
    Answer answer;
    try {
      answer =
          api.get(
              SystemApi.base("order-service") + "/orders/" + order.orderId,
              SystemApi.basic(order.shopper, password));
    } catch (IOException e) {
      return false;
    }
    if (answer.status() == 404 && order.missingSeenInRun == 0) {
      order.missingSeenInRun = run.getAsInt();
    }
    if (answer.status() != 200) {
      return false;
    }
    String status = answer.body().path("status").asText();
    order.lastStatus = status;
    if (TrackedOrder.FINAL.contains(status) && !order.seenFinal()) {
      order.finalSeenAtMillis = clock.getAsLong();
    }
    return order.seenFinal();
  }
}
