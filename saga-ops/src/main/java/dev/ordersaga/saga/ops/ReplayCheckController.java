package dev.ordersaga.saga.ops;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ordersaga.messaging.web.BadRequestException;
import dev.ordersaga.messaging.web.QueryParameters;
import dev.ordersaga.saga.SagaState;
import dev.ordersaga.saga.runtime.HistoryReplay;
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
      String candidate,
      Integer sample,
      java.time.Instant from,
      java.time.Instant to,
      List<SagaState> outcomes,
      String reason) {}

  @PostMapping("/ops/replay-check")
  HistoryReplay.Report check(@RequestBody(required = false) byte[] body, Principal principal) {
    ReplayCheckBody request = reader.body(body, ReplayCheckBody.class);
    if (request.candidate() == null || request.candidate().isBlank()) {
      throw new BadRequestException("candidate", "is required: the saga version to check");
    }
    int sample =
        request.sample() == null
            ? DEFAULT_SAMPLE
            : QueryParameters.checkRange("sample", request.sample(), 1, MAX_SAMPLE);
    if (request.from() != null && request.to() != null && !request.from().isBefore(request.to())) {
      throw new BadRequestException("to", "must be after from");
    }
    if (request.reason() != null && request.reason().length() > 500) {
      throw new BadRequestException("reason", "is longer than 500 characters");
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
