package dev.ordersaga.saga.console;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ordersaga.messaging.Envelope;
import dev.ordersaga.messaging.contracts.order.RejectionReason;
import dev.ordersaga.saga.OperatorAction;
import dev.ordersaga.saga.SagaState;
import dev.ordersaga.saga.Step;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The console's lists of states, steps, reasons and actions are the API's: a value added to one of
 * the Java enums and not to the console would be missing from its filters and forms.
 */
class ConsoleVocabularyTest {

  private static final Pattern QUOTED = Pattern.compile("'([^']*)'");

  private static String script;

  @BeforeAll
  static void read() throws IOException {
    try (InputStream in =
        ConsoleVocabularyTest.class.getResourceAsStream("/static/console/console.js")) {
      assertThat(in).as("static/console/console.js on the classpath").isNotNull();
      script = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @Test
  void statesAreTheSagaStates() {
    assertThat(list("STATES")).containsExactlyElementsOf(names(SagaState.values()));
  }

  @Test
  void stepsAreTheSteps() {
    assertThat(list("STEPS")).containsExactlyElementsOf(names(Step.values()));
  }

  @Test
  void reasonsAreTheRejectionReasons() {
    assertThat(list("REASONS")).containsExactlyElementsOf(names(RejectionReason.values()));
  }

  @Test
  void actionsAreTheOperatorActionsAsTheirPathsNameThem() {
    assertThat(list("ACTIONS"))
        .containsExactlyElementsOf(
            Arrays.stream(OperatorAction.values()).map(OperatorAction::pathName).toList());
  }

  @Test
  void resumeOffersTheForwardStepsWithTheCommandEachSends() {
    Map<String, String> expected = new LinkedHashMap<>();
    for (Step step : Step.values()) {
      if (!step.isCompensation()) {
        expected.put(step.name(), step.command().getSimpleName());
      }
    }
    Matcher block =
        Pattern.compile("const FORWARD_STEPS = \\{([^}]*)\\}", Pattern.DOTALL).matcher(script);
    assertThat(block.find()).as("FORWARD_STEPS in console.js").isTrue();
    Map<String, String> found = new LinkedHashMap<>();
    Matcher entry = Pattern.compile("(\\w+): '(\\w+)'").matcher(block.group(1));
    while (entry.find()) {
      found.put(entry.group(1), entry.group(2));
    }
    assertThat(found).containsExactlyEntriesOf(expected);
  }

  /** The saga's path is read from the timeline by these wire types: one entry per step. */
  @Test
  void stepMessagesNameEachStepsCommandByItsWireType() {
    Map<String, String> expected = new LinkedHashMap<>();
    for (Step step : Step.values()) {
      expected.put(step.name(), Envelope.wireTypeOf(step.command()).name());
    }
    Matcher block =
        Pattern.compile("const STEP_MESSAGES = \\{(.*?)\n  \\};", Pattern.DOTALL).matcher(script);
    assertThat(block.find()).as("STEP_MESSAGES in console.js").isTrue();
    Map<String, String> found = new LinkedHashMap<>();
    Matcher entry = Pattern.compile("(\\w+): \\{ command: '([\\w.]+)'").matcher(block.group(1));
    while (entry.find()) {
      found.put(entry.group(1), entry.group(2));
    }
    assertThat(found).containsExactlyEntriesOf(expected);
  }

  /** The console's words: English and Korean have the same keys, so neither shows a mix. */
  @Test
  void englishAndKoreanHaveTheSameKeys() {
    Matcher block =
        Pattern.compile(
                "const MESSAGES = \\{\n    en: \\{(.*?)\n    },\n    ko: \\{(.*?)\n    },\n  };",
                Pattern.DOTALL)
            .matcher(script);
    assertThat(block.find()).as("MESSAGES in console.js, en then ko").isTrue();
    List<String> english = keys(block.group(1));
    assertThat(english).contains("step.REFUND_PAYMENT", "mark.not-reached", "overview.title");
    assertThat(keys(block.group(2))).containsExactlyInAnyOrderElementsOf(english);
  }

  /** The keys of one language's table: its entries' names, at the table's indentation. */
  private static List<String> keys(String table) {
    List<String> keys = new ArrayList<>();
    Matcher key = Pattern.compile("\n      '([\\w.-]+)':").matcher("\n" + table);
    while (key.find()) {
      keys.add(key.group(1));
    }
    return keys;
  }

  private static List<String> list(String name) {
    Matcher array =
        Pattern.compile("const " + name + " = \\[([^\\]]*)\\]", Pattern.DOTALL).matcher(script);
    assertThat(array.find()).as(name + " in console.js").isTrue();
    List<String> values = new ArrayList<>();
    Matcher quoted = QUOTED.matcher(array.group(1));
    while (quoted.find()) {
      values.add(quoted.group(1));
    }
    return values;
  }

  private static List<String> names(Enum<?>[] values) {
    return Arrays.stream(values).map(Enum::name).toList();
  }
}
