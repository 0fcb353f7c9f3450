package dev.ordersaga.saga.journal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ordersaga.messaging.Envelope;
import dev.ordersaga.messaging.codec.MessageTypes;
import dev.ordersaga.saga.journal.JournalTypes.Kind;
import java.io.IOException;
import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;

/**
 * docs/events.md (at the repository root) documents every wire type a saga's journal can hold: a
 * section per type naming its revision, direction and class, and a row per field.
 */
class EventsDocumentationTest {

  /** Tests run in the module's directory; the docs sit one level up. */
  private static final Path DOC = Path.of("..", "docs", "events.md");

  @Test
  void everyWireTypeOfTheOrderSagaIsDocumented() throws IOException {
    String doc = Files.readString(DOC);

    MessageTypes.orderSaga()
        .all()
        .forEach(
            type ->
                assertThat(doc.contains("### `" + Envelope.wireTypeOf(type).name() + "`"))
                    .as("docs/events.md has a section for %s", Envelope.wireTypeOf(type).name())
                    .isTrue());
  }

  @Test
  void everyJournaledTypeHasItsRevisionDirectionClassAndFields() throws IOException {
    String doc = Files.readString(DOC);
    SoftAssertions softly = new SoftAssertions();

    for (Kind kind : JournalTypes.orderSaga().all()) {
      String section = section(doc, kind.wireType());
      softly.assertThat(section).as("section of %s", kind.wireType()).isNotEmpty();
      if (section.isEmpty()) {
        continue;
      }
      softly
          .assertThat(section)
          .as("%s: revision, direction and class", kind.wireType())
          .contains("Revision " + kind.revision())
          .contains("`" + kind.direction().wire() + "`")
          .contains("`" + kind.type().getName() + "`");
      for (RecordComponent field : kind.type().getRecordComponents()) {
        softly
            .assertThat(section)
            .as("%s documents field %s", kind.wireType(), field.getName())
            .contains("| `" + field.getName() + "` |");
      }
    }
    softly.assertAll();
  }

  /** The text under {@code ### `wireType`} up to the next heading; empty when there is none. */
  private static String section(String doc, String wireType) {
    String heading = "### `" + wireType + "`\n";
    int start = doc.indexOf(heading);
    if (start < 0) {
      return "";
    }
    int end = doc.indexOf("\n#", start + heading.length());
    return doc.substring(start, end < 0 ? doc.length() : end);
  }
}
