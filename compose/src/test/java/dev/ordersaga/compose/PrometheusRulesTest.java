package dev.ordersaga.compose;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The alert rules ({@code prometheus/alerts.yml}) and the stack's Prometheus configuration, checked
 * by Prometheus's own {@code promtool}: the rules parse, each alert fires on its incident after its
 * {@code for} and not otherwise ({@code prometheus/alerts.test.yml}), and the configuration loads
 * them. Skipped with a message where {@code promtool} is not installed (Debian: {@code apt-get
 * install prometheus}; {@code .ci/run} installs it).
 */
class PrometheusRulesTest {

  private static final Path DIR = Path.of("prometheus");

  private static String promtool;

  @BeforeAll
  static void findPromtool() {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
      Path candidate = Path.of(dir, "promtool");
      if (Files.isExecutable(candidate)) {
        promtool = candidate.toString();
      }
    }
    Assumptions.assumeTrue(
        promtool != null,
        "PrometheusRulesTest skipped: no `promtool` on the PATH (Debian: apt-get install"
            + " prometheus; .ci/run installs it)");
  }

  @Test
  void theAlertRulesAreValid() throws Exception {
    assertThat(promtool("check", "rules", "alerts.yml")).contains("SUCCESS: 6 rules found");
  }

  @Test
  void eachAlertFiresOnItsIncidentAndOnlyThen() throws Exception {
    assertThat(promtool("test", "rules", "alerts.test.yml")).contains("SUCCESS");
  }

  @Test
  void theStacksPrometheusConfigurationLoadsTheRules() throws Exception {
    assertThat(promtool("check", "config", "prometheus.yml"))
        .contains("SUCCESS: 1 rule files found");
  }

  /** Runs promtool in {@code prometheus/}; its output, after asserting it exited 0. */
  private static String promtool(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(promtool));
    command.addAll(List.of(args));
    Process process =
        new ProcessBuilder(command).directory(DIR.toFile()).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("promtool finished").isTrue();
    System.out.println("promtool " + String.join(" ", args) + ":\n" + output);
    assertThat(process.exitValue()).as("promtool %s:%n%s", String.join(" ", args), output).isZero();
    return output;
  }
}
