package dev.ordersaga.compose;

import java.lang.management.ManagementFactory;

/**
 * The CPU time this JVM spends during a load run (every thread: the five apps, the load generator,
 * the garbage collector and the JIT compiler). CPU time per saga is the figure that a busy, shared
 * machine disturbs least: throughput drops when others take the cores, the work per saga does not.
 */
final class CpuWatch {

  /**
   * What a run used.
   *
   * @param cpuMillis CPU time of the process, all threads
   * @param cores processors available to the JVM
   */
  record Usage(long cpuMillis, int cores) {}

  private final com.sun.management.OperatingSystemMXBean os =
      (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
  private final long cpuAtStart = os.getProcessCpuTime();

  /** What was used since this watch was made. */
  Usage stop() {
    return new Usage(
        (os.getProcessCpuTime() - cpuAtStart) / 1_000_000,
        Runtime.getRuntime().availableProcessors());
  }
}
