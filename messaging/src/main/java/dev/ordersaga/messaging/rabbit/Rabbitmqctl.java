package dev.ordersaga.messaging.rabbit;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs RabbitMQ's {@code rabbitmqctl} on this machine, to set up the broker users of {@link
 * BrokerUsers} on a local broker. It needs the right to run it (root on Debian; the same user on
 * Homebrew).
 */
public final class Rabbitmqctl {

  /** rabbitmqctl could not be run, or failed. */
  public static final class RabbitmqctlException extends Exception {
    private static final long serialVersionUID = 1L;

    RabbitmqctlException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  private static final ObjectMapper JSON = new ObjectMapper();

  private Rabbitmqctl() {}

  /**
   * Imports a definitions document ({@link BrokerUsers#definitions}): users are created or their
   * passwords and permissions replaced. The document (password hashes) goes through standard input,
   * never a file.
   */
  public static void importDefinitions(Map<String, Object> definitions)
      throws RabbitmqctlException {
    byte[] json;
    try {
      json = JSON.writeValueAsBytes(definitions);
    } catch (IOException e) {
      throw new RabbitmqctlException("cannot write the broker users' definitions", e);
    }
    run(json, "import_definitions", "--format", "json");
  }

  /** Deletes users; one missing already is fine. */
  public static void deleteUsers(List<String> users) throws RabbitmqctlException {
    for (String user : users) {
      try {
        run("delete_user", user);
      } catch (RabbitmqctlException e) {
        if (!String.valueOf(e.getMessage()).contains("does not exist")) {
          throw e;
        }
      }
    }
  }

  /** Runs {@code rabbitmqctl <arguments>} and returns its output. */
  public static String run(String... arguments) throws RabbitmqctlException {
    return run(new byte[0], arguments);
  }

  private static String run(byte[] input, String... arguments) throws RabbitmqctlException {
    List<String> command = new ArrayList<>();
    command.add("rabbitmqctl");
    command.addAll(List.of(arguments));
    Process process;
    try {
      process = new ProcessBuilder(command).redirectErrorStream(true).start();
    } catch (IOException e) {
      throw new RabbitmqctlException("cannot run rabbitmqctl: " + e.getMessage(), e);
    }
    try {
      try (var stdin = process.getOutputStream()) {
        stdin.write(input);
      }
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new RabbitmqctlException("rabbitmqctl " + arguments[0] + " took over 60 s", null);
      }
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (process.exitValue() != 0) {
        throw new RabbitmqctlException(
            "rabbitmqctl "
                + arguments[0]
                + " failed ("
                + process.exitValue()
                + "): "
                + output.strip(),
            null);
      }
      return output;
    } catch (IOException e) {
      throw new RabbitmqctlException("rabbitmqctl " + arguments[0] + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
      throw new RabbitmqctlException("interrupted waiting for rabbitmqctl", e);
    }
  }
}
