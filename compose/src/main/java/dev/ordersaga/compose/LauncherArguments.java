package dev.ordersaga.compose;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParseResult;

/**
 * The launcher's command line, parsed strictly by picocli: {@code --demo} (with {@code --canary}),
 * {@code load} and its options, the local cluster's {@code store [--base-port P]} and {@code app
 * NAME [--port P]}, {@code --help} (also after a subcommand); anything else is refused before
 * anything starts.
 */
final class LauncherArguments {

  /** The exit code of a command line the launcher refuses (its usage goes to stderr). */
  static final int USAGE_ERROR = 2;

  /** What the command line asks for. */
  sealed interface Launch permits Run, Load, ServeStore, RunApp, Help {}

  /**
   * Run the system until Ctrl-C; with {@code demo}, short deadlines and demo orders; with {@code
   * canary} (only with {@code demo}), a canary release of saga version v2 after them.
   */
  record Run(boolean demo, boolean canary) implements Launch {}

  /** Measure: run the plan on a fresh store and queues, then exit. */
  record Load(LoadGenerator.Plan plan) implements Launch {}

  /**
   * The local cluster's store: serve each service's embedded store on {@code basePort} + the
   * service's index ({@link Launcher#APPS}), run the SMTP server, until Ctrl-C.
   */
  record ServeStore(int basePort) implements Launch {}

  /**
   * One instance of one service, connected to the broker and to the local cluster's store.
   *
   * @param port its HTTP port; {@code null} for the service's default
   */
  record RunApp(String name, Integer port) implements Launch {}

  /** Print this usage on stdout and exit 0. */
  record Help(String usage) implements Launch {}

  /** A command line the launcher refuses: what is wrong, and the usage to print with it. */
  static final class UsageException extends Exception {
    private final String usage;

    UsageException(String message, String usage) {
      super(message);
      this.usage = usage;
    }

    String usage() {
      return usage;
    }
  }

  private LauncherArguments() {}

  /**
   * What {@code args} ask for.
   *
   * @throws UsageException for an unknown option or argument, a missing or non-integer value, or a
   *     load plan out of range, saying which
   */
  static Launch parse(String... args) throws UsageException {
    CommandLine commandLine = commandLine();
    ParseResult result;
    try {
      result = commandLine.parseArgs(args);
    } catch (ParameterException e) {
      throw new UsageException(e.getMessage(), usage(e.getCommandLine()));
    }
    ParseResult sub = result.subcommand();
    if (sub == null) {
      if (result.isUsageHelpRequested()) {
        return new Help(usage(commandLine));
      }
      LauncherCommand command = commandLine.getCommand();
      if (command.canary && !command.demo) {
        throw new UsageException(
            "--canary is a part of the demo: give --demo too", usage(commandLine));
      }
      return new Run(command.demo, command.canary);
    }
    CommandLine subLine = sub.commandSpec().commandLine();
    if (result.isUsageHelpRequested() || sub.isUsageHelpRequested()) {
      return new Help(usage(subLine));
    }
    try {
      Object command = subLine.getCommand();
      if (command instanceof LoadCommand load) {
        return new Load(load.plan());
      }
      if (command instanceof StoreCommand store) {
        return store.launch();
      }
      return ((AppCommand) command).launch();
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage(), usage(subLine));
    }
  }

  /** The launcher's whole usage, as {@code --help} prints it. */
  static String usage() {
    return usage(commandLine());
  }

  private static CommandLine commandLine() {
    return new CommandLine(new LauncherCommand())
        .addSubcommand(new LoadCommand())
        .addSubcommand(new StoreCommand())
        .addSubcommand(new AppCommand())
        .setUsageHelpWidth(100);
  }

  private static String usage(CommandLine commandLine) {
    return commandLine.getUsageMessage(CommandLine.Help.Ansi.OFF);
  }

  @Command(
      name = "java -jar order-saga-launcher.jar",
      description = {
        "Runs the whole order saga system in one JVM (saga-engine :8080, order-service :8081,"
            + " payment-service :8082, shipping-service :8083, notifier :8084, SMTP :2525) against"
            + " the local RabbitMQ (RABBITMQ_URI) and the embedded store under data/"
            + " (ORDER_SAGA_DATA_DIR), or MONGODB_URI; prints the URLs and the accounts; stop"
            + " it with Ctrl-C.",
        "",
        "A local cluster (several instances of each service, each its own process): run `store`"
            + " once, then `app NAME` once per instance (see compose/README.md).",
        ""
      },
      synopsisSubcommandLabel = "[load [OPTIONS] | store [OPTIONS] | app NAME [OPTIONS]]",
      footer = {
        "",
        "Exit codes: 0 done, 1 no RabbitMQ or an order of load did not finish, 2 usage."
      })
  static final class LauncherCommand {
    @Option(
        names = "--demo",
        description =
            "also place a mix of demo orders (one of each outcome, an incident among them), with"
                + " short saga deadlines")
    boolean demo;

    @Option(
        names = "--canary",
        description =
            "with --demo: then a canary release of saga version v2 (it declines orders above"
                + " 500.00): the replay check, a quarter of new orders to v2, large orders, and"
                + " the engine rolling v2 back by itself")
    boolean canary;

    @Option(
        names = {"-h", "--help"},
        usageHelp = true,
        description = "print this usage and exit")
    boolean help;
  }

  @Command(
      name = "load",
      description = {
        "Measure: start the system on a fresh temporary store and its own queue names, place the"
            + " warm-up orders, then the measured ones, wait for every saga to end, print the"
            + " figures and exit.",
        ""
      },
      showDefaultValues = true)
  static final class LoadCommand {
    private static final LoadGenerator.Plan DEFAULT = LoadGenerator.Plan.DEFAULT;

    @Option(names = "--orders", paramLabel = "N", description = "orders measured")
    int orders = DEFAULT.orders();

    @Option(names = "--concurrency", paramLabel = "C", description = "orders in flight")
    int concurrency = DEFAULT.concurrency();

    @Option(names = "--declined", paramLabel = "P", description = "%% of orders declined")
    int declined = DEFAULT.declinedPercent();

    @Option(names = "--undeliverable", paramLabel = "P", description = "%% of orders undeliverable")
    int undeliverable = DEFAULT.undeliverablePercent();

    @Option(
        names = "--provider-latency-ms",
        paramLabel = "MS",
        description = "how long each call to the simulated provider and carrier takes")
    int providerLatencyMillis = DEFAULT.providerLatencyMillis();

    @Option(
        names = "--warmup",
        paramLabel = "N",
        description = "orders placed first, left out of every figure")
    int warmup = DEFAULT.warmup();

    @Option(
        names = "--follow",
        paramLabel = "HOW",
        description =
            "how the load learns that an order ended: events (told by order-service in this JVM"
                + " as it writes the final status) or long-poll (GET /orders/{id} with Prefer:"
                + " wait, as a shopper's client would: one more request per order)",
        converter = FollowConverter.class)
    LoadGenerator.Follow follow = DEFAULT.follow();

    @Option(
        names = {"-h", "--help"},
        usageHelp = true,
        description = "print this usage and exit")
    boolean help;

    /** The plan these options make; {@link LoadGenerator.Plan} refuses one out of range. */
    LoadGenerator.Plan plan() {
      return new LoadGenerator.Plan(
          orders, concurrency, declined, undeliverable, providerLatencyMillis, warmup, follow);
    }
  }

  /** {@code events} or {@code long-poll}, as the usage writes them. */
  static final class FollowConverter implements CommandLine.ITypeConverter<LoadGenerator.Follow> {
    @Override
    public LoadGenerator.Follow convert(String value) {
      return switch (value) {
        case "events" -> LoadGenerator.Follow.EVENTS;
        case "long-poll" -> LoadGenerator.Follow.LONG_POLL;
        default ->
            throw new CommandLine.TypeConversionException(
                "'" + value + "' is not events or long-poll");
      };
    }
  }

  @Command(
      name = "store",
      description = {
        "The local cluster's shared parts, until Ctrl-C: each service's embedded store served on"
            + " its own port (base port + 0 sagas, 1 orders, 2 payments, 3 shipments, 4 notices;"
            + " files under data/ or ORDER_SAGA_DATA_DIR, synced before a write is answered), the"
            + " SMTP server on :2525, the broker users and the accounts, written to"
            + " <data>/"
            + LocalCluster.SETTINGS_FILE
            + " for the `app` processes.",
        ""
      },
      showDefaultValues = true)
  static final class StoreCommand {
    @Option(
        names = "--base-port",
        paramLabel = "P",
        description = "port of the first service's store; the others follow")
    int basePort = LocalCluster.DEFAULT_BASE_PORT;

    @Option(
        names = {"-h", "--help"},
        usageHelp = true,
        description = "print this usage and exit")
    boolean help;

    ServeStore launch() {
      if (basePort < 1 || basePort > 65535 - Launcher.APPS.size()) {
        throw new IllegalArgumentException(
            "--base-port must be between 1 and " + (65535 - Launcher.APPS.size()));
      }
      return new ServeStore(basePort);
    }
  }

  @Command(
      name = "app",
      description = {
        "One instance of one service, connected to RabbitMQ (RABBITMQ_URI) and to the local"
            + " cluster's store (started first with `store`), or to MONGODB_URI; runs until"
            + " Ctrl-C. Start as many instances of a service as you like, each on its own port.",
        ""
      })
  static final class AppCommand {
    @Parameters(
        index = "0",
        paramLabel = "NAME",
        description = "saga-engine, order-service, payment-service, shipping-service or notifier")
    String name;

    @Option(
        names = "--port",
        paramLabel = "P",
        description = "its HTTP port (default: the service's own, 8080 to 8084)")
    Integer port;

    @Option(
        names = {"-h", "--help"},
        usageHelp = true,
        description = "print this usage and exit")
    boolean help;

    RunApp launch() {
      if (Launcher.APPS.stream().noneMatch(app -> app.name().equals(name))) {
        throw new IllegalArgumentException(
            "unknown app '"
                + name
                + "': one of "
                + String.join(", ", Launcher.APPS.stream().map(Launcher.App::name).toList()));
      }
      if (port != null && (port < 0 || port > 65535)) {
        throw new IllegalArgumentException("--port must be between 0 and 65535");
      }
      return new RunApp(name, port);
    }
  }
}
