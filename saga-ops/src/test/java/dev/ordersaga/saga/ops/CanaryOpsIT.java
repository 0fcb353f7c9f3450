package dev.ordersaga.saga.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.springframework.http.ResponseEntity;

/**
 * {@code GET/POST /ops/canary}: operators see the split and change it; every change is audited; bad
 * input is a 400 naming the field.
 */
class CanaryOpsIT extends OpsTestSupport {

  @Test
  void operatorsSeeAndChangeTheSplitAndEachChangeIsAudited() {
    JsonNode before = get("/ops/canary").getBody();
    assertThat(before.path("stable").asText()).isEqualTo("v1");
    assertThat(iterate(before.path("versions"))).extracting(JsonNode::asText).contains("v1", "v2");

    try {
      ResponseEntity<JsonNode> on =
          post(
              "/ops/canary",
              "{\"candidate\": \"v2\", \"percent\": 10, \"reason\": \"release v2 to a tenth\"}");

      assertThat(on.getStatusCode().value()).isEqualTo(200);
      assertThat(on.getBody().path("split").path("candidate").asText()).isEqualTo("v2");
      assertThat(on.getBody().path("split").path("state").asText()).isEqualTo("ACTIVE");
      assertThat(on.getBody().path("split").path("changedBy").asText()).isEqualTo("operator");
      assertThat(on.getBody().path("effectivePercent").asInt()).isEqualTo(10);
      assertThat(get("/ops/canary").getBody().path("split").path("percent").asInt()).isEqualTo(10);
    } finally {
      assertThat(
              post(
                      "/ops/canary",
                      "{\"candidate\": \"v2\", \"percent\": 0, \"reason\": \"end of test\"}")
                  .getBody()
                  .path("split")
                  .path("state")
                  .asText())
          .isEqualTo("OFF");
    }
    JsonNode audit = get("/ops/audit?action=canary&limit=2").getBody();
    assertThat(iterate(audit.path("items")))
        .extracting(e -> e.path("reason").asText())
        .containsExactly("end of test", "release v2 to a tenth");
    assertThat(iterate(audit.path("items")))
        .allSatisfy(e -> assertThat(e.path("who").asText()).isEqualTo("operator"));
  }

  @Test
  void badInputNamesTheField() {
    assertBadRequest(post("/ops/canary", "{\"percent\": 10, \"reason\": \"r\"}"), "candidate");
    assertBadRequest(
        post("/ops/canary", "{\"candidate\": \"v9\", \"percent\": 10, \"reason\": \"r\"}"),
        "candidate");
    assertBadRequest(
        post("/ops/canary", "{\"candidate\": \"v1\", \"percent\": 10, \"reason\": \"r\"}"),
        "candidate");
    assertBadRequest(
        post("/ops/canary", "{\"candidate\": \"v2\", \"percent\": 101, \"reason\": \"r\"}"),
        "percent");
    assertBadRequest(post("/ops/canary", "{\"candidate\": \"v2\", \"percent\": 5}"), "reason");
    assertThat(get("/ops/canary").getBody().path("split").path("state").asText())
        .isNotEqualTo("ACTIVE");
  }
}
