package dev.ordersaga.compose;

import com.sun.management.GarbageCollectionNotificationInfo;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import javax.management.ListenerNotFoundException;
import javax.management.Notification;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;

/**
 * The heap of this JVM during a run, from the garbage collector's notifications: at each
 * collection, the heap used just before it (the peak, garbage included) and just after it (what was
 * still live). Only collections during the run count; the end of the run is taken as one more
 * "before" sample, so a run with no collection still has a peak.
 */
final class HeapWatch implements AutoCloseable {

  /** What a run used. */
  record Peaks(long usedBytes, long liveBytes, int collections, long maxBytes) {}

  private final Set<String> heapPools =
      ManagementFactory.getMemoryPoolMXBeans().stream()
          .filter(pool -> pool.getType() == MemoryType.HEAP)
          .map(MemoryPoolMXBean::getName)
          .collect(Collectors.toSet());
  private final AtomicLong peakUsed = new AtomicLong();
  private final AtomicLong peakLive = new AtomicLong();
  private final AtomicInteger collections = new AtomicInteger();
  private final List<NotificationEmitter> emitters = new ArrayList<>();
  private final NotificationListener listener = this::collected;

  /** Starts listening to every collector of this JVM. */
  HeapWatch() {
    for (GarbageCollectorMXBean collector : ManagementFactory.getGarbageCollectorMXBeans()) {
      if (collector instanceof NotificationEmitter emitter) {
        emitter.addNotificationListener(listener, null, null);
        emitters.add(emitter);
      }
    }
  }

  private void collected(Notification notification, Object handback) {
    if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(
        notification.getType())) {
      return;
    }
    var info =
        GarbageCollectionNotificationInfo.from((CompositeData) notification.getUserData())
            .getGcInfo();
    collections.incrementAndGet();
    peakUsed.accumulateAndGet(heapUsed(info.getMemoryUsageBeforeGc()), Math::max);
    peakLive.accumulateAndGet(heapUsed(info.getMemoryUsageAfterGc()), Math::max);
  }

  private long heapUsed(Map<String, MemoryUsage> byPool) {
    return byPool.entrySet().stream()
        .filter(pool -> heapPools.contains(pool.getKey()))
        .mapToLong(pool -> pool.getValue().getUsed())
        .sum();
  }

  /** Stops listening and says what was used. */
  Peaks stop() {
    close();
    MemoryUsage now = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
    long used = Math.max(peakUsed.get(), now.getUsed());
    return new Peaks(used, peakLive.get(), collections.get(), now.getMax());
  }

  @Override
  public void close() {
    for (NotificationEmitter emitter : emitters) {
      try {
        emitter.removeNotificationListener(listener);
      } catch (ListenerNotFoundException alreadyRemoved) {
        // closed before
      }
    }
    emitters.clear();
  }
}
