package dev.ordersaga.opscli;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ScopeType;

/**
 * The operator's command-line client of saga-engine's operator API ({@code /ops}): the root
 * command, with the options every command takes. {@link #main(String[])} runs it as a program;
 * {@link #run(String...)} runs it in-process and returns the exit code: 0 done, 1 usage error, 2
 * the server refused, 3 the server could not be reached, 4 the replay check found differences not
 * expected. picocli parses the command line and writes the help; each command is a class of its own
 * ({@link SagaCommands}, {@link AuditCommand}, {@link ParkedCommands}, {@link CanaryCommand},
 * {@link ReplayCheckCommand}).
 */
@Command(
    name = OpsCli.PROGRAM,
    mixinStandardHelpOptions = true,
    versionProvider = OpsCli.Version.class,
    header = "A command-line client of saga-engine's operator API (/ops).",
    description = {
      "Global options go before or after the command. The password is the operator account's:"
          + " env SAGA_OPS_PASSWORD, or --password-file FILE."
    },
    subcommands = {
      SagaCommands.ListSagas.class,
      SagaCommands.Show.class,
      SagaCommands.Retry.class,
      SagaCommands.Compensate.class,
      SagaCommands.Park.class,
      SagaCommands.Unpark.class,
      SagaCommands.Resume.class,
      SagaCommands.Bulk.class,
      AuditCommand.class,
      ParkedCommands.Parked.class,
      ParkedCommands.Redrive.class,
      ReplayCheckCommand.class,
      CanaryCommand.class,
      CommandLine.HelpCommand.class
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:done",
      "1:usage error (what is wrong is named on stderr)",
      "2:the server refused",
      "3:the server could not be reached or did not answer in time",
      "4:the replay check found differences not expected"
    },
    footer = "%nRun 'ops-cli COMMAND --help' (or 'ops-cli help COMMAND') for a command's options.")
public final class OpsCli implements Callable<Integer> {

  public static final int OK = 0;
  public static final int USAGE = 1;
  public static final int REFUSED = 2;
  public static final int UNREACHABLE = 3;

  static final String PROGRAM = "ops-cli";
  static final String DEFAULT_URL = "http://localhost:8080";
  static final String DEFAULT_USER = "operator";
  static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);

  @Option(
      names = "--url",
      paramLabel = "URL",
      scope = ScopeType.INHERIT,
      description = "saga-engine's address (env SAGA_OPS_URL; default " + DEFAULT_URL + ")")
  String url;

  @Option(
      names = "--user",
      paramLabel = "NAME",
      scope = ScopeType.INHERIT,
      description = "the operator account (env SAGA_OPS_USER; default " + DEFAULT_USER + ")")
  String user;

  @Option(
      names = "--password-file",
      paramLabel = "FILE",
      scope = ScopeType.INHERIT,
      description =
          "read the password from the first line of FILE, - for standard input (else env"
              + " SAGA_OPS_PASSWORD)")
  String passwordFile;

  @Option(
      names = "--password",
      paramLabel = "PASSWORD",
      scope = ScopeType.INHERIT,
      description = "the password itself: it shows in the process list, prefer the two above")
  String password;

  @Option(
      names = "--timeout",
      paramLabel = "DURATION",
      scope = ScopeType.INHERIT,
      converter = OptionValues.PositiveDuration.class,
      description =
          "how long to wait for an answer: seconds or ISO-8601 such as PT2M (default 60 s; a real"
              + " bulk run adds one second per saga at its rate)")
  Duration timeout;

  @Option(
      names = "--json",
      scope = ScopeType.INHERIT,
      description = "print the server's JSON as is, one document")
  boolean json;

  private final Map<String, String> env;
  private final InputStream in;
  private final PrintWriter out;
  private final PrintWriter err;
  private final CommandLine line;

  /**
   * @param env the environment ({@code SAGA_OPS_URL}, {@code SAGA_OPS_USER}, {@code
   *     SAGA_OPS_PASSWORD})
   * @param in read by {@code --input-file -} and {@code --password-file -}
   */
  public OpsCli(Map<String, String> env, InputStream in, PrintStream out, PrintStream err) {
    this.env = Map.copyOf(env);
    this.in = in;
    this.out = new PrintWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), true);
    this.err = new PrintWriter(new OutputStreamWriter(err, StandardCharsets.UTF_8), true);
    this.line =
        new CommandLine(this)
            .setOut(this.out)
            .setErr(this.err)
            .setParameterExceptionHandler(this::usageError);
    // every text value must say something: an empty --reason or ORDER_ID is a usage error
    line.registerConverter(String.class, new OptionValues.NonBlank());
    // each command's --version (from mixinStandardHelpOptions) prints the client's version too
    line.getSubcommands().values().forEach(c -> c.getCommandSpec().versionProvider(new Version()));
  }

  public static void main(String[] args) {
    System.exit(new OpsCli(System.getenv(), System.in, System.out, System.err).run(args));
  }

  /** Runs one command line; returns its exit code. */
  public int run(String... args) {
    try {
      return line.execute(args);
    } finally {
      out.flush();
      err.flush();
    }
  }

  /** The command line, as configured for {@link #run(String...)} (tests parse with it). */
  CommandLine commandLine() {
    return line;
  }

  /** No command given: says so, with the usage. */
  @Override
  public Integer call() {
    err.println(PROGRAM + ": no command given");
    err.println();
    line.usage(err);
    return USAGE;
  }

  /**
   * A usage error: what is wrong (picocli's message names the option or parameter), a suggestion
   * for a mistyped name, and the command's synopsis with where to find the rest.
   */
  private int usageError(ParameterException e, String[] args) {
    CommandLine command = e.getCommandLine();
    if (e instanceof CommandLine.MissingParameterException
        && !command.getUnmatchedArguments().isEmpty()) {
      // picocli checks the required ones first; a mistyped --reason is better named as such
      e = new CommandLine.UnmatchedArgumentException(command, command.getUnmatchedArguments());
    }
    // the argument groups' messages (resume's --input or --input-file) start so; the others do not
    String message = e.getMessage().replaceFirst("^Error: ", "");
    err.println(PROGRAM + ": " + Table.safe(message));
    CommandLine.UnmatchedArgumentException.printSuggestions(e, err);
    err.println();
    CommandLine.Help help = command.getHelp();
    err.print(help.synopsisHeading() + help.synopsis(help.synopsisHeadingLength()));
    err.println("Run '" + command.getCommandSpec().qualifiedName() + " --help' for every option.");
    return USAGE;
  }

  // ---------------------------------------------------------------- what commands use

  PrintWriter out() {
    return out;
  }

  PrintWriter err() {
    return err;
  }

  boolean json() {
    return json;
  }

  /** {@code --timeout}, else the usual wait. */
  Duration timeout() {
    return timeout == null ? DEFAULT_TIMEOUT : timeout;
  }

  /** Whether {@code --timeout} was given. */
  boolean timeoutGiven() {
    return timeout != null;
  }

  /** Whether the password is read from standard input. */
  boolean passwordFromStandardInput() {
    return "-".equals(passwordFile);
  }

  /** A client of the engine {@code --url} names, with the credentials; bad ones fail here. */
  OpsClient client(CommandLine command) {
    String base = (url != null ? url : env.getOrDefault("SAGA_OPS_URL", DEFAULT_URL)).strip();
    URI uri;
    try {
      uri = new URI(base);
    } catch (URISyntaxException e) {
      throw new ParameterException(command, "--url " + base + " is not a URL");
    }
    if (uri.getScheme() == null
        || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))
        || uri.getHost() == null
        || uri.getQuery() != null
        || uri.getFragment() != null) {
      throw new ParameterException(
          command, "--url " + base + " must be an http or https URL such as " + DEFAULT_URL);
    }
    return new OpsClient(uri, user(), password(command));
  }

  /** {@code --user}, else env {@code SAGA_OPS_USER}, else {@value #DEFAULT_USER}. */
  String user() {
    if (user != null) {
      return user;
    }
    String fromEnv = env.get("SAGA_OPS_USER");
    return fromEnv == null || fromEnv.isBlank() ? DEFAULT_USER : fromEnv;
  }

  /** {@code --password} (with a warning), else {@code --password-file}, else the environment. */
  private String password(CommandLine command) {
    if (password != null) {
      err.println(
          PROGRAM
              + ": warning: --password shows in the process list and the shell history; use"
              + " SAGA_OPS_PASSWORD or --password-file");
      return password;
    }
    if (passwordFile != null) {
      String first = read(command, passwordFile, "--password-file").lines().findFirst().orElse("");
      if (first.isEmpty()) {
        throw new ParameterException(command, "--password-file " + passwordFile + " is empty");
      }
      return first;
    }
    String fromEnv = env.get("SAGA_OPS_PASSWORD");
    if (fromEnv == null || fromEnv.isEmpty()) {
      throw new ParameterException(
          command,
          "no password: set SAGA_OPS_PASSWORD or give --password-file FILE (the operator"
              + " account's password: the one the launcher printed for 'saga-engine operator"
              + " account', or SAGA_SECURITY_OPERATOR_PASSWORD where the engine was started with"
              + " it)");
    }
    return fromEnv;
  }

  /**
   * A file's text; {@code -} is the standard input. A file that cannot be read is a usage error.
   */
  String read(CommandLine command, String file, String option) {
    try {
      if (file.equals("-")) {
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
      }
      return Files.readString(Path.of(file), StandardCharsets.UTF_8);
    } catch (IOException | InvalidPathException e) {
      throw new ParameterException(
          command, option + " " + file + " cannot be read: " + e.getMessage());
    }
  }

  /** {@code --version}: the version the build wrote into {@code ops-cli.properties}. */
  static final class Version implements CommandLine.IVersionProvider {

    @Override
    public String[] getVersion() throws IOException {
      Properties properties = new Properties();
      try (InputStream file = OpsCli.class.getResourceAsStream("ops-cli.properties")) {
        if (file != null) {
          properties.load(file);
        }
      }
      return new String[] {PROGRAM + " " + properties.getProperty("version", "(unknown)")};
    }
  }
}
