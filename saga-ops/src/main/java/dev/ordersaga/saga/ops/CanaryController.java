package dev.ordersaga.saga.ops;

import dev.ordersaga.messaging.web.BadRequestException;
import dev.ordersaga.messaging.web.PlainText;
import dev.ordersaga.saga.canary.Canary;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.security.Principal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * The canary release of a candidate saga version: {@code GET /ops/canary} shows the split, the
 * outcomes of each version in the window and the verdict; {@code POST /ops/canary} with {@code
 * {candidate, percent, reason}} changes the split (audited as {@code canary}; the engine's
 * automatic rollbacks are audited as {@code canary-rollback} by {@link CanaryAudit}).
 */
@RestController
class CanaryController {

  private final Canary canary;
  private final RequestReader reader;

  CanaryController(Canary canary, RequestReader reader) {
    this.canary = canary;
    this.reader = reader;
  }

  /**
   * @param candidate the saga version to send new orders to, such as {@code v2}
   * @param percent the share of new orders it gets, 0 (off) to 100
   * @param reason why (required), kept in the audit log
   */
  record CanaryBody(
      @NotNull(message = CANDIDATE_REQUIRED) @NotBlank(message = CANDIDATE_REQUIRED) @PlainText
          String candidate,
      @NotNull(message = "is required: 0 (off) to 100")
          @Min(value = 0, message = "must be from 0 (off) to 100")
          @Max(value = 100, message = "must be from 0 (off) to 100")
          Integer percent,
      @NotNull(message = OpsSagaController.REASON_REQUIRED)
          @NotBlank(message = OpsSagaController.REASON_REQUIRED)
          @ReasonText
          String reason) {}

  private static final String CANDIDATE_REQUIRED = "is required: the saga version, such as v2";

  @GetMapping("/ops/canary")
  Canary.View view() {
    return canary.view();
  }

  @PostMapping("/ops/canary")
  Canary.View change(@RequestBody(required = false) byte[] body, Principal principal) {
    CanaryBody request = reader.body(body, CanaryBody.class);
    String reason = OpsSagaController.reason(request.reason());
    try {
      canary.set(request.candidate(), request.percent(), principal.getName(), reason);
    } catch (IllegalArgumentException e) {
      String message = e.getMessage();
      int colon = message.indexOf(':');
      throw new BadRequestException(
          colon > 0 ? message.substring(0, colon) : "candidate",
          colon > 0 ? message.substring(colon + 1).strip() : message);
    }
    return canary.view();
  }
}
