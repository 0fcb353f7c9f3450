package dev.ordersaga.saga.ops;

import dev.ordersaga.messaging.web.BadRequestException;
import dev.ordersaga.messaging.web.QueryParameters;
import dev.ordersaga.saga.OperatorAction;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.security.Principal;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /ops/bulk/{retry|compensate|park|unpark}} with {@code {filter, dryRun, ratePerSecond,
 * maxSagas, reason}}: one action on every saga the filter selects. {@code dryRun} defaults to
 * {@code true}, so only an explicit {@code false} acts. Resume is not offered in bulk: its input is
 * per saga.
 */
@RestController
class BulkController {

  private static final int DEFAULT_RATE = 5;
  private static final int DEFAULT_MAX_SAGAS = 100;

  private final BulkActions bulk;
  private final RequestReader reader;
  private final OpsSettings settings;

  BulkController(BulkActions bulk, RequestReader reader, OpsSettings settings) {
    this.bulk = bulk;
    this.reader = reader;
    this.settings = settings;
  }

  /**
   * @param filter which sagas (required, at least one criterion; the same as {@code GET
   *     /ops/sagas})
   * @param dryRun {@code false} to act; anything else only shows what would be done
   * @param ratePerSecond sagas acted on per second (1 to the {@code bulkMaxRate} setting: checked
   *     in code)
   * @param maxSagas the most sagas selected (1 to the {@code bulkMaxSagas} setting: checked in
   *     code)
   * @param reason why (required), kept in the audit log
   */
  record BulkBody(
      @NotNull(message = FILTER_REQUIRED) @Valid SagaFilter filter,
      Boolean dryRun,
      Integer ratePerSecond,
      Integer maxSagas,
      @NotNull(message = OpsSagaController.REASON_REQUIRED)
          @NotBlank(message = OpsSagaController.REASON_REQUIRED)
          @ReasonText
          String reason) {}

  private static final String FILTER_REQUIRED =
      "is required and must name at least one criterion (the same as GET /ops/sagas)";

  @IdempotencyKeyHeader
  @ApiResponse(
      responseCode = "409",
      description =
          "The Idempotency-Key was used for another request, or its first request still"
              + " runs (Retry-After)")
  @ApiResponse(
      responseCode = "200",
      description = "The report: each saga's result (or, for a dry run, what would be done)")
  @PostMapping("/ops/bulk/{action}")
  BulkActions.Report run(
      @PathVariable String action,
      @RequestBody(required = false) byte[] body,
      Principal principal) {
    OperatorAction operatorAction =
        OperatorAction.fromPathName(action)
            .filter(a -> a != OperatorAction.RESUME)
            .orElseThrow(
                () ->
                    new BadRequestException(
                        "action",
                        "must be retry, compensate, park or unpark (resume takes input per saga:"
                            + " POST /ops/sagas/{orderId}/resume)"));
    BulkBody request = reader.body(body, BulkBody.class);
    if (request.filter().isEmpty()) {
      throw new BadRequestException("filter", FILTER_REQUIRED);
    }
    int rate =
        request.ratePerSecond() == null
            ? Math.min(DEFAULT_RATE, settings.bulkMaxRate())
            : QueryParameters.checkRange(
                "ratePerSecond", request.ratePerSecond(), 1, settings.bulkMaxRate());
    int maxSagas =
        request.maxSagas() == null
            ? Math.min(DEFAULT_MAX_SAGAS, settings.bulkMaxSagas())
            : QueryParameters.checkRange(
                "maxSagas", request.maxSagas(), 1, settings.bulkMaxSagas());
    String reason = OpsSagaController.reason(request.reason());
    return bulk.run(
        new BulkActions.Request(
            operatorAction,
            request.filter(),
            request.dryRun() == null || request.dryRun(),
            rate,
            maxSagas,
            reason,
            principal.getName()));
  }
}
