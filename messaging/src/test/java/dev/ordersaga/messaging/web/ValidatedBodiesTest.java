package dev.ordersaga.messaging.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.ordersaga.messaging.web.Problems.FieldProblem;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class ValidatedBodiesTest {

  record Line(
      @NotNull(message = ValidatedBodies.REQUIRED) @NotBlank(message = ValidatedBodies.NOT_BLANK)
          String sku,
      @NotNull(message = ValidatedBodies.REQUIRED)
          @Max(value = 9, message = "must be at most {value}")
          Integer quantity) {}

  record Note(
      @NotNull(message = ValidatedBodies.REQUIRED) @PlainText String text,
      @EmailAddress String email,
      @NotNull(message = ValidatedBodies.REQUIRED) @Size(min = 1, message = "must not be empty")
          List<@NotNull(message = ValidatedBodies.REQUIRED) @Valid Line> lines,
      Boolean urgent) {}

  private static Note read(String json) {
    return ValidatedBodies.read(JsonBodies.read(json.getBytes(StandardCharsets.UTF_8)), Note.class);
  }

  private static List<FieldProblem> problems(String json) {
    BadRequestException e = catchThrowableOfType(BadRequestException.class, () -> read(json));
    assertThat(e).as("the body is refused").isNotNull();
    return e.problems();
  }

  @Test
  void readsAValidBody() {
    Note note =
        read(
            """
            {"text": "hi", "email": "a@example.com", "urgent": true,
             "lines": [{"sku": "A", "quantity": 2}]}""");

    assertThat(note).isEqualTo(new Note("hi", "a@example.com", List.of(new Line("A", 2)), true));
  }

  @Test
  void tellsWrongTypesUnknownFieldsAndViolationsAllAtOnceByJsonPath() {
    List<FieldProblem> problems =
        problems(
            """
            {"text": 42, "email": "not-an-address", "colour": "red", "urgent": "yes",
             "lines": [{"sku": "A", "quantity": "2"}, "x", {"sku": " ", "quantity": 10, "n": 1},
                       {"sku": "B", "quantity": 1.5}, {"quantity": 3}]}""");

    assertThat(problems)
        .containsExactlyInAnyOrder(
            new FieldProblem("text", "must be a string"),
            new FieldProblem("colour", "is not a known field"),
            new FieldProblem("urgent", "must be true or false"),
            new FieldProblem("lines[0].quantity", "must be a whole number"),
            new FieldProblem("lines[1]", "must be a JSON object"),
            new FieldProblem("lines[2].n", "is not a known field"),
            new FieldProblem("lines[3].quantity", "must be a whole number"),
            new FieldProblem(
                "email",
                "must be an e-mail address such as name@example.com (no display name, quotes or"
                    + " address literal)"),
            new FieldProblem("lines[2].sku", "must not be blank"),
            new FieldProblem("lines[2].quantity", "must be at most 9"),
            new FieldProblem("lines[4].sku", "is required"));
  }

  @Test
  void refusesAnArrayOfTheWrongShapeAndABodyThatIsNoObject() {
    assertThat(problems("{\"text\": \"a\", \"lines\": {\"sku\": \"A\"}}"))
        .containsExactly(new FieldProblem("lines", "must be an array"));
    assertThat(problems("[1]")).containsExactly(new FieldProblem("body", "must be a JSON object"));
  }

  @Test
  void namesAWholeNumberTooLargeForItsField() {
    assertThat(
            problems(
                "{\"text\": \"a\", \"lines\": [{\"sku\": \"A\", \"quantity\": 9999999999999}]}"))
        .containsExactly(new FieldProblem("lines[0].quantity", "is a number out of range"));
  }

  @Test
  void tellsAMissingFieldOnlyAsRequired() {
    assertThat(problems("{\"text\": \"a\", \"lines\": [{\"quantity\": 1}]}"))
        .containsExactly(new FieldProblem("lines[0].sku", "is required"));
  }

  @Test
  void refusesControlCharactersInPlainText() {
    assertThat(
            problems("{\"text\": \"a\\u0007b\", \"lines\": [{\"sku\": \"A\", \"quantity\": 1}]}"))
        .containsExactly(new FieldProblem("text", "must not contain control characters"));
  }

  @Test
  void completesTheValueBeforeValidatingIt() {
    Note note =
        ValidatedBodies.read(
            JsonBodies.read("{\"lines\": [{\"sku\": \"A\", \"quantity\": 1}]}".getBytes()),
            Note.class,
            read -> new Note("filled in", read.email(), read.lines(), read.urgent()));

    assertThat(note.text()).isEqualTo("filled in");
  }
}
