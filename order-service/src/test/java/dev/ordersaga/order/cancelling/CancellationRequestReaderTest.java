package dev.ordersaga.order.cancelling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.ordersaga.order.placing.FieldError;
import dev.ordersaga.order.placing.InvalidRequestException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class CancellationRequestReaderTest {

  private static String reason(String body) {
    return CancellationRequestReader.reason(body.getBytes(StandardCharsets.UTF_8));
  }

  private static InvalidRequestException refusal(String body) {
    return catchThrowableOfType(InvalidRequestException.class, () -> reason(body));
  }

  @Test
  void takesNoBodyOrAReason() {
    assertThat(reason("")).isNull();
    assertThat(reason("  ")).isNull();
    assertThat(reason("{}")).isNull();
    assertThat(reason("{\"reason\": null}")).isNull();
    assertThat(reason("{\"reason\": \"ordered twice\"}")).isEqualTo("ordered twice");
  }

  @Test
  void refusesUnknownFieldsWrongTypesAndLongReasons() {
    assertThat(refusal("{\"why\": \"x\"}").errors())
        .containsExactly(new FieldError("why", "is not a known field"));
    assertThat(refusal("{\"reason\": 5}").errors())
        .extracting(FieldError::field)
        .containsExactly("reason");
    assertThat(refusal("{\"reason\": \"" + "x".repeat(501) + "\"}").errors())
        .extracting(FieldError::field)
        .containsExactly("reason");
    assertThat(refusal("not json").errors()).extracting(FieldError::field).containsExactly("body");
    assertThat(refusal("[]").errors()).extracting(FieldError::field).containsExactly("body");
  }

  @Test
  void takesLineBreaksButNotOtherControlCharacters() {
    assertThat(reason("{\"reason\": \"twice\\nby mistake\\t!\"}"))
        .isEqualTo("twice\nby mistake\t!");
    assertThat(refusal("{\"reason\": \"bell\\u0007\"}").errors())
        .containsExactly(new FieldError("reason", "must not contain control characters"));
    assertThat(refusal("{\"reason\": \"" + "x".repeat(501) + "\"}").errors())
        .containsExactly(new FieldError("reason", "must be at most 500 characters"));
  }
}
