package dev.ordersaga.saga.ops;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ordersaga.messaging.web.BadRequestException;
import dev.ordersaga.messaging.web.PlainText;
import dev.ordersaga.messaging.web.ValidatedBodies;
import dev.ordersaga.saga.SagaState;
import dev.ordersaga.saga.runtime.HistoryReplay;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.security.Principal;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /ops/replay-check} with {@code {candidate, sample, from, to, outcomes, reason}}: runs
 * a candidate version of the saga over the histories the journal recorded, without side effects
 * (the engine's {@link HistoryReplay}), and answers per saga where its decisions differ. Read-only
 * for the sagas; audited as {@code replay-check} (outcome {@code SAME} or {@code DIFFERENT}).
 */
@RestController
class ReplayCheckController {

  static final int DEFAULT_SAMPLE = 100;
  static final int MAX_SAMPLE = 1000;

  private final HistoryReplay replay;
  private final RequestReader reader;
  private final AuditLog audit;
  private final ObjectMapper json;
  private final Clock clock;

  ReplayCheckController(
      HistoryReplay replay, RequestReader reader, AuditLog audit, ObjectMapper json, Clock clock) {
    this.replay = replay;
    this.reader = reader;
    this.audit = audit;
    this.json = json;
    this.clock = clock;
  }

  /**
   * @param candidate the version to check (required), such as {@code v2}
   * @param sample how many sagas to replay (default {@value #DEFAULT_SAMPLE}, at most {@value
   *     #MAX_SAMPLE}): the first started in the range, oldest first
   * @param from started at or after this instant, or {@code null}
   * @param to started before this instant, or {@code null}
   * @param outcomes only sagas in these states (such as {@code COMPLETED}), or all
   * @param reason optional, kept in the audit log
   */
  record ReplayCheckBody(
      @NotNull(message = CANDIDATE_REQUIRED) @NotBlank(message = CANDIDATE_REQUIRED) @PlainText
          String candidate,
      @Min(value = 1, message = SAMPLE_RANGE) @Max(value = MAX_SAMPLE, message = SAMPLE_RANGE)
          Integer sample,
      java.time.Instant from,
      java.time.Instant to,
      List<@NotNull(message = ValidatedBodies.REQUIRED) SagaState> outcomes,
      @ReasonText String reason) {}

  private static final String CANDIDATE_REQUIRED = "is required: the saga version to check";
  private static final String SAMPLE_RANGE = "must be from 1 to " + MAX_SAMPLE;

  @PostMapping("/ops/replay-check")
  HistoryReplay.Report check(@RequestBody(required = false) byte[] body, Principal principal) {
    ReplayCheckBody request = reader.body(body, ReplayCheckBody.class);
    int sample = request.sample() == null ? DEFAULT_SAMPLE : request.sample();
    if (request.from() != null && request.to() != null && !request.from().isBefore(request.to())) {
      throw new BadRequestException("to", "must be after from");
    }
    HistoryReplay.Report report;
    try {
      report =
          replay.check(
              request.candidate(),
              new HistoryReplay.Selection(
                  sample,
                  request.from(),
                  request.to(),
                  request.outcomes() == null ? Set.of() : Set.copyOf(request.outcomes())));
    } catch (IllegalArgumentException e) {
      throw new BadRequestException("candidate", e.getMessage());
    }
    Map<String, Object> asked = new LinkedHashMap<>();
    asked.put("candidate", request.candidate());
    asked.put("sample", sample);
    asked.put("from", request.from() == null ? null : request.from().toString());
    asked.put("to", request.to() == null ? null : request.to().toString());
    asked.put("outcomes", request.outcomes());
    audit.record(
        new AuditEntry(
            UUID.randomUUID().toString(),
            clock.instant(),
            principal.getName(),
            "replay-check",
            false,
            report.sagas().stream().map(HistoryReplay.SagaResult::orderId).toList(),
            null,
            request.reason(),
            report.sagas().isEmpty() ? "SAME" : "DIFFERENT",
            json.valueToTree(asked),
            json.valueToTree(
                Map.of(
                    "checked", report.checked(),
                    "same", report.same(),
                    "differing", report.sagas().size()))));
    return report;
  }
}
