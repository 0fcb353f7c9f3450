package dev.ordersaga.compose;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How {@link OpenApiContractIT} reports the differences between two documents. */
class OpenApiDiffTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  private static List<String> diff(String committed, String running) throws Exception {
    JsonNode left = JSON.readTree(committed);
    JsonNode right = JSON.readTree(running);
    List<String> found = new ArrayList<>();
    OpenApiContractIT.diff("", left, right, found);
    return found;
  }

  @Test
  void equalDocumentsHaveNoDifferenceWhateverTheirKeyOrder() throws Exception {
    assertThat(diff("{\"a\": 1, \"b\": [1, 2]}", "{\"b\": [1, 2], \"a\": 1}")).isEmpty();
  }

  @Test
  void eachDifferenceIsNamedByItsJsonPointer() throws Exception {
    List<String> found =
        diff(
            "{\"paths\": {\"/orders\": {\"get\": {}, \"post\": {\"x\": 1}}}, \"tags\": [\"a\"]}",
            "{\"paths\": {\"/orders\": {\"post\": {\"x\": 2}, \"put\": {}}}, \"tags\": [\"a\","
                + " \"b\"]}");

    assertThat(found)
        .containsExactly(
            "/paths/~1orders/get: committed, no longer in the running API",
            "/paths/~1orders/post/x: committed 1, running 2",
            "/paths/~1orders/put: new in the running API: {}",
            "/tags/1: new in the running API: \"b\"");
  }

  @Test
  void anElementGoneFromAnArrayIsNamed() throws Exception {
    assertThat(diff("[1, 2, 3]", "[1, 2]"))
        .containsExactly("/2: committed, no longer in the running API: 3");
  }
}
