package dev.ordersaga.opscli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;
import picocli.CommandLine.ParseResult;

/**
 * The command line as picocli reads it with the client's commands: options anywhere, both value
 * forms, flags, and every refusal (exit 1, naming the option or parameter, with the command's
 * synopsis), all before any call: no server runs here, and no password is set, so a command line
 * that got through would fail on the password instead.
 */
class CommandLineTest {

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  @Test
  void globalOptionsGoBeforeOrAfterTheCommandInEitherForm() {
    OpsCli cli = cli();
    ParseResult parsed =
        cli.commandLine()
            .parseArgs(
                "--url",
                "http://ops:8080",
                "list",
                "--state=COMPENSATION_FAILED,PARKED",
                "--customer-id",
                "cust-1",
                "--json",
                "--limit",
                "5",
                "--timeout=PT2M");

    SagaCommands.ListSagas list = command(parsed);
    assertThat(parsed.subcommand().commandSpec().name()).isEqualTo("list");
    assertThat(cli.url).isEqualTo("http://ops:8080");
    assertThat(list.filter.stateList()).containsExactly("COMPENSATION_FAILED", "PARKED");
    assertThat(list.filter.customerId).isEqualTo("cust-1");
    assertThat(cli.json()).isTrue();
    assertThat(cli.timeout()).isEqualTo(Duration.ofMinutes(2));
    assertThat(list.paging.limit).isEqualTo(5);
    assertThat(list.paging.all).isFalse();
  }

  @Test
  void aValueMayContainSpacesEqualsSignsAndStartWithOneDash() {
    SagaCommands.Retry retry =
        parse("retry", "o-1", "--reason", "a=b, -c: provider is back --really");

    assertThat(retry.orderId).isEqualTo("o-1");
    assertThat(retry.reason).isEqualTo("a=b, -c: provider is back --really");
    assertThat(this.<SagaCommands.Retry>parse("retry", "o-1", "--reason=x=y").reason)
        .isEqualTo("x=y");
    assertThat(this.<SagaCommands.Retry>parse("retry", "o-1", "--reason", "-1").reason)
        .isEqualTo("-1");
  }

  @Test
  void flagsAreTrueAloneAndMayBeSetExplicitly() {
    assertThat(this.<SagaCommands.ListSagas>parse("list", "--stuck").filter.stuck).isTrue();
    assertThat(this.<SagaCommands.ListSagas>parse("list", "--stuck=false").filter.stuck).isFalse();
    assertThat(this.<SagaCommands.ListSagas>parse("list").filter.stuck).isNull();
    assertThat(this.<SagaCommands.ListSagas>parse("list", "--all").paging.all).isTrue();
    assertThatThrownBy(() -> parse("list", "--stuck=maybe"))
        .isInstanceOf(CommandLine.ParameterException.class)
        .hasMessageContaining("--stuck")
        .hasMessageContaining("'maybe'");
  }

  @Test
  void afterDoubleDashEverythingIsAnOperand() {
    OpsCli cli = cli();
    SagaCommands.Show show =
        command(cli.commandLine().parseArgs("show", "--json", "--", "--odd-id"));

    assertThat(show.orderId).isEqualTo("--odd-id");
    assertThat(cli.json()).isTrue();
  }

  @Test
  void listTakesTheFailureReasonUnderEitherNameButOnlyOnce() {
    assertThat(this.<SagaCommands.ListSagas>parse("list", "--reason", "TIMED_OUT").failureReason)
        .isEqualTo("TIMED_OUT");
    assertThat(
            this.<SagaCommands.ListSagas>parse("list", "--failure-reason", "TIMED_OUT")
                .failureReason)
        .isEqualTo("TIMED_OUT");

    assertThat(run("list", "--reason", "A", "--failure-reason", "B")).isEqualTo(OpsCli.USAGE);
    assertThat(err()).contains("should be specified only once");
  }

  @Test
  void helpNeedsNoOperandsNorRequiredOptions() {
    assertThat(run("retry", "--help")).isZero();
    assertThat(out()).contains("Usage: ops-cli retry");
    out.reset();
    assertThat(run("-h")).isZero();
    assertThat(out()).contains("Usage: ops-cli [");
    out.reset();
    assertThat(run("resume", "-h")).isZero();
    assertThat(out()).contains("Usage: ops-cli resume");
    assertThat(err()).isEmpty();
  }

  @Test
  void bulkTakesFiltersItsOwnOptionsAndTheWhy() {
    SagaCommands.Bulk bulk =
        parse(
            "bulk",
            "compensate",
            "--state",
            "AWAITING_PAYMENT",
            "--failure-reason",
            "TIMED_OUT",
            "--older-than",
            "PT1H",
            "--reason",
            "provider outage",
            "--dry-run",
            "--rate",
            "2",
            "--max",
            "10");

    assertThat(bulk.action).isEqualTo("compensate");
    assertThat(bulk.failureReason).isEqualTo("TIMED_OUT");
    assertThat(bulk.filter.olderThan).isEqualTo("PT1H");
    assertThat(bulk.reason).isEqualTo("provider outage");
    assertThat(bulk.dryRun).isTrue();
    assertThat(bulk.rate).isEqualTo(2);
    assertThat(bulk.max).isEqualTo(10);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          frobnicate                              | Unmatched argument at index 0: 'frobnicate'
          list --colour                           | Unknown option: '--colour'
          list -x                                 | Unknown option: '-x'
          show o-1 --state PARKED                 | '--state'
          list --dry-run                          | Unknown option: '--dry-run'
          show                                    | Missing required parameter: 'ORDER_ID'
          list extra                              | 'extra'
          show o-1 o-2                            | 'o-2'
          parked q-1 q-2                          | 'q-2'
          retry o-1                               | Missing required option: '--reason=TEXT'
          redrive payment-service.commands --reason r | Missing required option: '--limit=N'
          redrive --limit 1 --reason r            | Missing required parameter: 'QUEUE'
          resume o-1 --reason r --input {}        | Missing required option: '--from-step=STEP'
          list --state                            | '--state'
          list --state --stuck                    | Expected parameter for option '--state' but found '--stuck'
          list --limit 1 --limit 2                | option '--limit' (N) should be specified only once
          bulk --reason r                         | Missing required parameter: 'ACTION'
          list --timeout soon                     | Invalid value for option '--timeout'
          help nope                               | Unknown subcommand 'nope'
          """)
  void refusesWhatItCannotRunNamingTheProblem(String line, String message) {
    assertThat(run(line.split(" "))).isEqualTo(OpsCli.USAGE);

    assertThat(err()).startsWith("ops-cli: ").contains(message).contains("Usage: ops-cli");
    assertThat(out()).isEmpty();
  }

  @Test
  void aRefusalPrintsTheSynopsisOfItsCommand() {
    assertThat(run("retry", "o-1")).isEqualTo(OpsCli.USAGE);
    assertThat(err())
        .contains("Usage: ops-cli retry")
        .contains("--reason=TEXT")
        .contains("ORDER_ID")
        .contains("Run 'ops-cli retry --help' for every option.");

    err.reset();
    assertThat(run("nope")).isEqualTo(OpsCli.USAGE);
    assertThat(err()).contains("Usage: ops-cli [").contains("Run 'ops-cli --help'");
  }

  @ParameterizedTest
  @ValueSource(strings = {"0", "-3", "x", "1.5", " "})
  void numbersMustBeWholeAndPositive(String value) {
    assertThat(run("list", "--limit", value)).isEqualTo(OpsCli.USAGE);

    assertThat(err())
        .startsWith("ops-cli: Invalid value for option '--limit': ")
        .contains("is not a whole number of at least 1");
  }

  @Test
  void emptyTextIsRefused() {
    assertThat(run("retry", "o-1", "--reason", "  ")).isEqualTo(OpsCli.USAGE);

    assertThat(err()).startsWith("ops-cli: Invalid value for option '--reason': must not be empty");
  }

  @Test
  void durationsAreSecondsOrIso() {
    OptionValues.PositiveDuration durations = new OptionValues.PositiveDuration();
    assertThat(durations.convert("90")).isEqualTo(Duration.ofSeconds(90));
    assertThat(durations.convert("PT2M")).isEqualTo(Duration.ofMinutes(2));
    for (String bad : new String[] {"0", "PT0S", "-PT1S", "soon", ""}) {
      assertThatThrownBy(() -> durations.convert(bad))
          .as(bad)
          .isInstanceOf(CommandLine.TypeConversionException.class)
          .hasMessageContaining("not a positive number of seconds");
    }
  }

  @Test
  void aRealBulkRunWaitsLongerTheMoreSagasItPaces() {
    Duration dry = SagaCommands.Bulk.timeout(true, 1, 500);
    Duration slow = SagaCommands.Bulk.timeout(false, 1, 500);
    Duration fast = SagaCommands.Bulk.timeout(false, 20, 500);

    assertThat(dry).isEqualTo(OpsCli.DEFAULT_TIMEOUT);
    assertThat(slow).isGreaterThan(fast);
    assertThat(slow.minus(OpsCli.DEFAULT_TIMEOUT)).isGreaterThanOrEqualTo(Duration.ofSeconds(500));
    assertThat(fast.minus(OpsCli.DEFAULT_TIMEOUT)).isGreaterThanOrEqualTo(Duration.ofSeconds(25));
  }

  // ---------------------------------------------------------------- helpers

  private OpsCli cli() {
    return new OpsCli(
        Map.of(),
        new ByteArrayInputStream(new byte[0]),
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  private int run(String... args) {
    return cli().run(args);
  }

  /** The command object of a parsed command line, its options set. */
  private <T> T parse(String... args) {
    return command(cli().commandLine().parseArgs(args));
  }

  @SuppressWarnings("unchecked")
  private static <T> T command(ParseResult parsed) {
    return (T) parsed.subcommand().commandSpec().userObject();
  }

  private String out() {
    return out.toString(StandardCharsets.UTF_8);
  }

  private String err() {
    return err.toString(StandardCharsets.UTF_8);
  }
}
