package dev.ordersaga.compose;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every compose file of this module is read by a real compose implementation: {@code docker compose
 * config -q} (the Docker CLI's plugin) or else {@code docker-compose config -q} (Debian's {@code
 * docker-compose} package); both parse the file, interpolate it and validate it against the compose
 * schema without a Docker engine. The variables a file requires ({@code ${NAME:?...}}) are given
 * placeholder values. Without either command the test is skipped, unless {@code
 * ORDER_SAGA_REQUIRE_COMPOSE} is set (as {@code .ci/run} sets it after installing one).
 */
class ComposeFilesTest {

  private static final Pattern REQUIRED = Pattern.compile("\\$\\{([A-Z0-9_]+):\\?");

  @Test
  void everyComposeFileIsValidForACompose() throws Exception {
    List<String> compose = composeCommand();
    boolean required = System.getenv("ORDER_SAGA_REQUIRE_COMPOSE") != null;
    assumeTrue(
        compose != null || required, "neither `docker compose` nor `docker-compose` is installed");
    assertThat(compose).as("a compose command (ORDER_SAGA_REQUIRE_COMPOSE is set)").isNotNull();
    List<Path> files;
    try (Stream<Path> listed = Files.list(Path.of("."))) {
      files =
          listed
              .filter(f -> f.getFileName().toString().matches("docker-compose.*\\.ya?ml"))
              .sorted()
              .toList();
    }
    assertThat(files).extracting(f -> f.getFileName().toString()).contains("docker-compose.yml");

    for (Path file : files) {
      List<String> command = new ArrayList<>(compose);
      command.addAll(List.of("-f", file.toString(), "config", "-q"));
      ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
      builder.environment().putAll(placeholders(file));
      Process process = builder.start();
      process.getOutputStream().close();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(process.exitValue()).as("%s %s:%n%s", command, file, output).isZero();
    }
  }

  /** A value for every variable the file requires. */
  private static Map<String, String> placeholders(Path file) throws IOException {
    Map<String, String> values = new TreeMap<>();
    Matcher required = REQUIRED.matcher(Files.readString(file));
    while (required.find()) {
      values.put(required.group(1), "placeholder-" + required.group(1).toLowerCase());
    }
    return values;
  }

  /** {@code docker compose} if the plugin answers, else {@code docker-compose}, else null. */
  private static List<String> composeCommand() throws InterruptedException {
    for (List<String> candidate :
        List.of(List.of("docker", "compose"), List.of("docker-compose"))) {
      List<String> version = new ArrayList<>(candidate);
      version.add("version");
      try {
        Process process = new ProcessBuilder(version).redirectErrorStream(true).start();
        process.getInputStream().readAllBytes();
        if (process.waitFor(30, TimeUnit.SECONDS) && process.exitValue() == 0) {
          return candidate;
        }
      } catch (IOException notInstalled) {
        // try the next
      }
    }
    return null;
  }
}
