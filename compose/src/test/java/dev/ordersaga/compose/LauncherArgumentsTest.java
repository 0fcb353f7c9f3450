package dev.ordersaga.compose;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.ordersaga.compose.LauncherArguments.Help;
import dev.ordersaga.compose.LauncherArguments.Load;
import dev.ordersaga.compose.LauncherArguments.Run;
import dev.ordersaga.compose.LauncherArguments.RunApp;
import dev.ordersaga.compose.LauncherArguments.ServeStore;
import dev.ordersaga.compose.LauncherArguments.UsageException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class LauncherArgumentsTest {

  @Test
  void runsTheSystemWithOrWithoutDemoOrders() throws UsageException {
    assertThat(LauncherArguments.parse()).isEqualTo(new Run(false, false));
    assertThat(LauncherArguments.parse("--demo")).isEqualTo(new Run(true, false));
    assertThat(LauncherArguments.parse("--demo", "--canary")).isEqualTo(new Run(true, true));
    assertThat(LauncherArguments.parse("--canary", "--demo")).isEqualTo(new Run(true, true));
  }

  @Test
  void helpIsTheUsageOfTheLauncherOrOfLoad() throws UsageException {
    Help help = (Help) LauncherArguments.parse("--help");

    assertThat(LauncherArguments.parse("-h")).isEqualTo(help);
    assertThat(LauncherArguments.parse("--demo", "--help")).isEqualTo(help);
    assertThat(help.usage())
        .startsWith(
            "Usage: java -jar order-saga-launcher.jar [-h] [--canary] [--demo] [load [OPTIONS] |")
        .contains("--demo", "--canary", "load", "store", "app", "Exit codes:");
    assertThat(((Help) LauncherArguments.parse("load", "--help")).usage())
        .contains("--orders=N", "--warmup=N", "--provider-latency-ms=MS", "Default: 200");
  }

  @Test
  void loadReadsEveryOptionAndKeepsTheDefaultsOfTheOthers() throws UsageException {
    assertThat(
            LauncherArguments.parse(
                "load", "--orders", "2000", "--provider-latency-ms", "5", "--declined=0"))
        .isEqualTo(new Load(new LoadGenerator.Plan(2000, 8, 0, 5, 5, 300)));
    assertThat(LauncherArguments.parse("load")).isEqualTo(new Load(LoadGenerator.Plan.DEFAULT));
    assertThat(LauncherArguments.parse("load", "--follow", "long-poll"))
        .isEqualTo(
            new Load(
                new LoadGenerator.Plan(200, 8, 10, 5, 50, 300, LoadGenerator.Follow.LONG_POLL)));
    assertThat(LauncherArguments.parse("load", "--follow=events"))
        .isEqualTo(new Load(LoadGenerator.Plan.DEFAULT));
    assertThat(LoadGenerator.Plan.DEFAULT.follow()).isEqualTo(LoadGenerator.Follow.EVENTS);
  }

  @Test
  void theLocalClustersStoreAndAppsReadTheirOptions() throws UsageException {
    assertThat(LauncherArguments.parse("store"))
        .isEqualTo(new ServeStore(LocalCluster.DEFAULT_BASE_PORT));
    assertThat(LauncherArguments.parse("store", "--base-port", "28000"))
        .isEqualTo(new ServeStore(28000));
    assertThat(LauncherArguments.parse("app", "saga-engine"))
        .isEqualTo(new RunApp("saga-engine", null));
    assertThat(LauncherArguments.parse("app", "payment-service", "--port", "8092"))
        .isEqualTo(new RunApp("payment-service", 8092));
    assertThat(((Help) LauncherArguments.parse("app", "--help")).usage())
        .startsWith("Usage: java -jar order-saga-launcher.jar app");
  }

  @Test
  void refusesAClusterCommandLineItCannotRunSayingWhy() {
    assertRefused(
        "unknown app 'billing': one of saga-engine, order-service, payment-service,"
            + " shipping-service, notifier",
        "app",
        "billing");
    assertRefused("Missing required parameter: 'NAME'", "app");
    assertRefused("--port must be between 0 and 65535", "app", "notifier", "--port", "70000");
    assertRefused("--base-port must be between 1 and 65530", "store", "--base-port", "0");
    assertRefused("Unknown option: '--demo'", "store", "--demo");
  }

  /** Each app's database, as the cluster's store serves it, is the one the app's config names. */
  @Test
  void eachAppsDatabaseIsTheOneItsOwnConfigurationNames() throws IOException {
    for (Launcher.App app : Launcher.APPS) {
      try (var config = Launcher.class.getResourceAsStream("/" + app.name() + ".yml")) {
        assertThat(config).as(app.name()).isNotNull();
        java.util.Map<String, Object> yaml = new org.yaml.snakeyaml.Yaml().load(config);
        @SuppressWarnings("unchecked")
        var store =
            (java.util.Map<String, Object>)
                ((java.util.Map<String, Object>) yaml.get("messaging")).get("store");
        assertThat(store.get("database")).as(app.name()).isEqualTo(app.database());
      }
    }
  }

  /** Thirteen command lines refused, each saying what is wrong, with the usage to print. */
  @Test
  void refusesWhatItDoesNotKnowSayingWhich() {
    assertRefused("Unknown option: '--hlep'", "--hlep");
    assertRefused("Unknown options: '--port', '9090'", "--demo", "--port", "9090");
    assertRefused("Unmatched argument at index 0: 'start'", "start");
    assertRefused("Unknown option: '--demo'", "load", "--demo");
    assertRefused("Unknown options: '--order', '5'", "load", "--order", "5");
    assertRefused("Missing required parameter for option '--orders' (N)", "load", "--orders");
    assertRefused(
        "Invalid value for option '--concurrency': 'many' is not an int",
        "load",
        "--concurrency",
        "many");
    assertRefused("--orders must be at least 1", "load", "--orders", "0");
    assertRefused(
        "--declined and --undeliverable together must be at most 100",
        "load",
        "--declined",
        "60",
        "--undeliverable",
        "50");
    assertRefused(
        "--provider-latency-ms must be 0 to 60000", "load", "--provider-latency-ms", "-1");
    assertRefused("Unmatched argument at index 1: 'now'", "load", "now");
    assertRefused(
        "Invalid value for option '--follow': 'poll' is not events or long-poll",
        "load",
        "--follow",
        "poll");
    assertRefused("--canary is a part of the demo: give --demo too", "--canary");
  }

  /** The jar's main in its own JVM: an unknown option starts nothing and exits 2. */
  @Test
  void theLauncherRefusesAnUnknownOptionWithItsUsageAndExitCodeTwo()
      throws IOException, InterruptedException {
    Process process =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                Launcher.class.getName(),
                "--no-such-option")
            .start();
    process.getOutputStream().close();

    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.exitValue()).isEqualTo(LauncherArguments.USAGE_ERROR);
    assertThat(err)
        .startsWith("Unknown option: '--no-such-option'")
        .contains("Usage: java -jar order-saga-launcher.jar");
    assertThat(out).isEmpty();
  }

  private static void assertRefused(String message, String... args) {
    UsageException refused =
        catchThrowableOfType(UsageException.class, () -> LauncherArguments.parse(args));
    assertThat(refused).as(String.join(" ", args)).isNotNull();
    assertThat(refused.getMessage()).as(String.join(" ", args)).isEqualTo(message);
    assertThat(refused.usage()).startsWith("Usage: java -jar order-saga-launcher.jar");
  }
}
