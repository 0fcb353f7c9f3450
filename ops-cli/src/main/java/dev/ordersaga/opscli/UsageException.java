package dev.ordersaga.opscli;

/**
 * The command line is wrong (exit code 1): an unknown command or option, a missing or malformed
 * value. Carries the command it was about, if known, so its usage can be printed.
 */
final class UsageException extends Exception {

  private static final long serialVersionUID = 1L;

  private final String command;

  UsageException(String command, String message) {
    super(message);
    this.command = command;
  }

  /** The command whose usage to print, or {@code null} for the general usage. */
  String command() {
    return command;
  }
}
