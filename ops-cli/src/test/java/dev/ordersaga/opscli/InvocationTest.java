package dev.ordersaga.opscli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Parsing of command lines: options anywhere, both value forms, flags, and every refusal. */
class InvocationTest {

  @Test
  void globalOptionsGoBeforeOrAfterTheCommandInEitherForm() throws UsageException {
    Invocation call =
        Invocation.parse(
            "--url",
            "http://ops:8080",
            "list",
            "--state=COMPENSATION_FAILED,PARKED",
            "--customer-id",
            "cust-1",
            "--json",
            "--limit",
            "5");

    assertThat(call.command()).isEqualTo("list");
    assertThat(call.operands()).isEmpty();
    assertThat(call.value("url")).contains("http://ops:8080");
    assertThat(call.value("state")).contains("COMPENSATION_FAILED,PARKED");
    assertThat(call.value("customer-id")).contains("cust-1");
    assertThat(call.json()).isTrue();
    assertThat(call.positive("limit")).contains(5);
    assertThat(call.flag("all")).isFalse();
  }

  @Test
  void aValueMayContainSpacesEqualsSignsAndStartWithOneDash() throws UsageException {
    Invocation call =
        Invocation.parse("retry", "o-1", "--reason", "a=b, -c: provider is back --really");

    assertThat(call.operand(0)).isEqualTo("o-1");
    assertThat(call.required("reason")).isEqualTo("a=b, -c: provider is back --really");
    assertThat(Invocation.parse("retry", "o-1", "--reason=x=y").required("reason"))
        .isEqualTo("x=y");
    assertThat(Invocation.parse("retry", "o-1", "--reason", "-1").required("reason"))
        .isEqualTo("-1");
  }

  @Test
  void flagsAreTrueAloneAndMayBeSetExplicitly() throws UsageException {
    assertThat(Invocation.parse("list", "--stuck").bool("stuck")).contains(true);
    assertThat(Invocation.parse("list", "--stuck=false").bool("stuck")).contains(false);
    assertThat(Invocation.parse("list").bool("stuck")).isEmpty();
    assertThat(Invocation.parse("list", "--all").flag("all")).isTrue();
    assertThatThrownBy(() -> Invocation.parse("list", "--stuck=maybe"))
        .isInstanceOf(UsageException.class)
        .hasMessageContaining("--stuck is a flag");
  }

  @Test
  void afterDoubleDashEverythingIsAnOperand() throws UsageException {
    Invocation call = Invocation.parse("show", "--json", "--", "--odd-id");

    assertThat(call.operand(0)).isEqualTo("--odd-id");
    assertThat(call.json()).isTrue();
  }

  @Test
  void helpNeedsNoOperandsNorRequiredOptions() throws UsageException {
    assertThat(Invocation.parse("retry", "--help").help()).isTrue();
    assertThat(Invocation.parse("-h").help()).isTrue();
    assertThat(Invocation.parse("-h").command()).isNull();
    assertThat(Invocation.parse("resume", "-h").command()).isEqualTo("resume");
  }

  @Test
  void bulkTakesFiltersItsOwnOptionsAndTheWhy() throws UsageException {
    Invocation call =
        Invocation.parse(
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

    assertThat(call.operand(0)).isEqualTo("compensate");
    assertThat(call.value("failure-reason")).contains("TIMED_OUT");
    assertThat(call.required("reason")).isEqualTo("provider outage");
    assertThat(call.flag("dry-run")).isTrue();
    assertThat(call.positive("rate")).contains(2);
    assertThat(call.positive("max")).contains(10);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          frobnicate                              | unknown command frobnicate
          list --colour                           | unknown option --colour
          list -x                                 | unknown option -x
          show o-1 --state PARKED                 | show has no option --state
          list --dry-run                          | list has no option --dry-run
          show                                    | show needs ORDER_ID
          list extra                              | unexpected [extra]
          show o-1 o-2                            | unexpected [o-2]
          parked q-1 q-2                          | unexpected [q-2]
          retry o-1                               | retry needs --reason TEXT
          redrive payment-service.commands --reason r | redrive needs --limit N
          resume o-1 --reason r --input {}        | resume needs --from-step STEP
          list --state                            | --state needs a value
          list --state --stuck                    | --state needs a value
          list --limit 1 --limit 2                | --limit is given more than once
          bulk --reason r                         | bulk needs ACTION
          """)
  void refusesWhatItCannotRunNamingTheProblem(String line, String message) {
    assertThatThrownBy(() -> Invocation.parse(line.split(" ")))
        .isInstanceOf(UsageException.class)
        .hasMessageContaining(message);
  }

  @Test
  void aRefusalCarriesItsCommandSoItsUsageCanBePrinted() {
    assertThatThrownBy(() -> Invocation.parse("retry", "o-1"))
        .isInstanceOfSatisfying(
            UsageException.class, e -> assertThat(e.command()).isEqualTo("retry"));
    assertThatThrownBy(() -> Invocation.parse("nope"))
        .isInstanceOfSatisfying(UsageException.class, e -> assertThat(e.command()).isNull());
  }

  @ParameterizedTest
  @ValueSource(strings = {"0", "-3", "x", "1.5", " "})
  void numbersMustBeWholeAndPositive(String value) throws UsageException {
    Invocation call = Invocation.parse("list", "--limit", value);

    assertThatThrownBy(() -> call.positive("limit")).isInstanceOf(UsageException.class);
  }

  @Test
  void emptyTextIsRefused() throws UsageException {
    Invocation call = Invocation.parse("retry", "o-1", "--reason", "  ");

    assertThatThrownBy(() -> call.required("reason"))
        .isInstanceOf(UsageException.class)
        .hasMessageContaining("--reason must not be empty");
  }

  @Test
  void durationsAreSecondsOrIso() throws UsageException {
    assertThat(Invocation.parse("list", "--timeout", "90").duration("timeout"))
        .contains(Duration.ofSeconds(90));
    assertThat(Invocation.parse("list", "--timeout", "PT2M").duration("timeout"))
        .contains(Duration.ofMinutes(2));
    for (String bad : new String[] {"0", "PT0S", "-PT1S", "soon"}) {
      Invocation call = Invocation.parse("list", "--timeout", bad);
      assertThatThrownBy(() -> call.duration("timeout")).isInstanceOf(UsageException.class);
    }
  }

  @Test
  void aRealBulkRunWaitsLongerTheMoreSagasItPaces() {
    Duration dry = OpsCli.bulkTimeout(true, Optional.of(1), Optional.of(500));
    Duration slow = OpsCli.bulkTimeout(false, Optional.of(1), Optional.of(500));
    Duration fast = OpsCli.bulkTimeout(false, Optional.of(20), Optional.of(500));

    assertThat(dry).isEqualTo(OpsCli.DEFAULT_TIMEOUT);
    assertThat(slow).isGreaterThan(fast);
    assertThat(slow.minus(OpsCli.DEFAULT_TIMEOUT)).isGreaterThanOrEqualTo(Duration.ofSeconds(500));
    assertThat(fast.minus(OpsCli.DEFAULT_TIMEOUT)).isGreaterThanOrEqualTo(Duration.ofSeconds(25));
  }
}
