package dev.ordersaga.compose;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The launcher jar ({@code target/order-saga-launcher.jar}, built in the {@code package} phase) run
 * as a separate process, as on a laptop: {@code java -jar} with the same {@code java} as the test,
 * configured only through its environment, its output appended to a log file. The process started
 * is the launcher's JVM itself (no shell or wrapper in between), so {@link #kill} is a SIGKILL to
 * the JVM that holds the data; {@link #start} brings it back on the same data directory.
 *
 * <p>It binds the fixed ports of {@link Launcher#APPS} and the launcher's SMTP port: run it only
 * under {@code flock /tmp/order-saga-system.lock}.
 */
final class LauncherProcess {

  static final Path JAR = Path.of("target", "order-saga-launcher.jar");

  /**
   * Variables of the test's own environment the launcher does not inherit: they would configure the
   * system under test (a MongoDB instead of the embedded store, another mail server, other
   * settings) behind the test's back.
   */
  private static final List<String> NOT_INHERITED =
      List.of(
          "MONGODB_URI",
          "ORDER_SAGA_DATA_DIR",
          "SPRING_",
          "SERVER_",
          "MESSAGING_",
          "SAGA_",
          "ORDER_SERVICE_",
          "PAYMENT_",
          "SHIPPING_",
          "NOTIFIER_");

  private final Map<String, String> environment;
  private final Path log;
  private final List<String> args;
  private final String heap;
  private final List<Integer> httpPorts;
  private final List<Integer> boundPorts;
  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(2))
          .build();
  private Process process;
  private int starts;

  /**
   * @param environment what configures the system (on top of the test's environment, less {@link
   *     #NOT_INHERITED})
   * @param log the file the launcher's output is appended to
   */
  LauncherProcess(Map<String, String> environment, Path log) {
    this(List.of(), "1g", appPorts(), ports(), environment, log);
  }

  /**
   * The launcher run with {@code args} (such as {@code app payment-service --port 8092}).
   *
   * @param heap its {@code -Xmx}
   * @param httpPorts the ports whose {@code /actuator/health} must be UP for it to be healthy; none
   *     for a process without HTTP (the cluster's {@code store}): then every bound port must accept
   *     a connection
   * @param boundPorts the ports it binds, free again once it is killed
   */
  LauncherProcess(
      List<String> args,
      String heap,
      List<Integer> httpPorts,
      List<Integer> boundPorts,
      Map<String, String> environment,
      Path log) {
    this.args = List.copyOf(args);
    this.heap = heap;
    this.httpPorts = List.copyOf(httpPorts);
    this.boundPorts = List.copyOf(boundPorts);
    this.environment = Map.copyOf(environment);
    this.log = log;
  }

  /** Every app's default HTTP port. */
  static List<Integer> appPorts() {
    return Launcher.APPS.stream().map(Launcher.App::defaultPort).toList();
  }

  /** The ports the system binds: every app's HTTP port and the launcher's SMTP server. */
  static List<Integer> ports() {
    List<Integer> ports = new ArrayList<>();
    Launcher.APPS.forEach(app -> ports.add(app.defaultPort()));
    ports.add(Launcher.DEFAULT_SMTP_PORT);
    return ports;
  }

  /**
   * Fails when another process listens on one of the system's ports: the health checks and every
   * request would otherwise go to that other system.
   */
  static void requirePortsFree() {
    requirePortsFree(ports());
  }

  /** {@link #requirePortsFree()} for these ports. */
  static void requirePortsFree(List<Integer> ports) {
    for (int port : ports) {
      if (!free(port)) {
        throw new IllegalStateException(
            "port "
                + port
                + " is taken: another launcher or system test runs; run system tests under"
                + " flock /tmp/order-saga-system.lock");
      }
    }
  }

  /** Starts the launcher (one more time); it is not healthy yet, see {@link #awaitHealthy}. */
  void start() throws IOException {
    if (process != null && process.isAlive()) {
      throw new IllegalStateException("the launcher still runs, pid " + process.pid());
    }
    if (!Files.isRegularFile(JAR)) {
      throw new IllegalStateException(
          JAR.toAbsolutePath() + " is missing: build it first (./mvnw -pl compose -am package)");
    }
    starts++;
    Files.createDirectories(log.getParent());
    Files.writeString(
        log,
        String.format("%n===== start %d at %s%n", starts, Instant.now()),
        StandardCharsets.UTF_8,
        StandardOpenOption.CREATE,
        StandardOpenOption.APPEND);
    List<String> command = new ArrayList<>();
    command.add(ProcessHandle.current().info().command().orElse("java"));
    command.add("-Xmx" + heap);
    // C1 only: five Spring contexts start in half the time (23 s instead of 46-52 s measured on
    // two busy cores), and the tests start them many times
    command.add("-XX:TieredStopAtLevel=1");
    command.add("-jar");
    command.add(JAR.toAbsolutePath().toString());
    command.addAll(args);
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    builder
        .environment()
        .keySet()
        .removeIf(name -> NOT_INHERITED.stream().anyMatch(name::startsWith));
    builder.environment().putAll(environment);
    process = builder.start();
  }

  /**
   * Waits until every app answers {@code /actuator/health} with UP; fails at once when the process
   * ends instead (its output is in the log).
   *
   * @return how long it took from the call
   */
  Duration awaitHealthy(Duration atMost) {
    long began = System.nanoTime();
    Process running = process;
    await("healthy: " + args + " (launcher output: " + log.toAbsolutePath() + ")")
        .atMost(atMost)
        .pollInterval(Duration.ofMillis(250))
        .ignoreExceptions()
        .failFast(
            "the launcher exited (see " + log.toAbsolutePath() + ")", () -> !running.isAlive())
        .until(this::allHealthy);
    return Duration.ofNanos(System.nanoTime() - began);
  }

  private boolean allHealthy() throws IOException, InterruptedException {
    if (httpPorts.isEmpty()) {
      for (int port : boundPorts) {
        new java.net.Socket("127.0.0.1", port).close();
      }
      return true;
    }
    for (int port : httpPorts) {
      HttpResponse<String> health =
          http.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/health"))
                  .timeout(Duration.ofSeconds(5))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      if (health.statusCode() != 200 || !health.body().contains("\"status\":\"UP\"")) {
        return false;
      }
    }
    return true;
  }

  /**
   * Kills the launcher's JVM with SIGKILL ({@link Process#destroyForcibly()} on Linux): no shutdown
   * hook, no flush, no goodbye to the broker. Waits until it is gone and its ports are free again.
   *
   * @return what was killed and how it ended, for the report
   */
  String kill() throws InterruptedException {
    Process running = process;
    String what =
        "pid "
            + running.pid()
            + " ("
            + running.info().command().orElse("?")
            + ", "
            + running.descendants().count()
            + " child processes)";
    running.destroyForcibly();
    if (!running.waitFor(30, TimeUnit.SECONDS)) {
      throw new IllegalStateException("the launcher did not die of SIGKILL: " + what);
    }
    awaitPortsFree();
    return what + " exited " + running.exitValue();
  }

  /** The JVM's process id. */
  long pid() {
    return process.pid();
  }

  private void awaitPortsFree() {
    await("the system's ports free after the kill")
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(100))
        .until(() -> boundPorts.stream().allMatch(LauncherProcess::free));
  }

  /** Whether a server could bind the port now (as Tomcat and the SMTP server do: reusing it). */
  private static boolean free(int port) {
    try (ServerSocket socket = new ServerSocket()) {
      socket.setReuseAddress(true);
      socket.bind(new InetSocketAddress(port));
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** Stops the launcher as Ctrl-C would (SIGTERM), and with SIGKILL if it does not end soon. */
  void stop() throws InterruptedException {
    if (process == null || !process.isAlive()) {
      return;
    }
    process.destroy();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      process.waitFor(30, TimeUnit.SECONDS);
    }
  }
}
