package dev.ordersaga.saga.ops;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ordersaga.messaging.rabbit.ConfirmingPublisher;
import dev.ordersaga.messaging.rabbit.ParkingHeaders;
import dev.ordersaga.messaging.rabbit.ParkingLot;
import dev.ordersaga.messaging.rabbit.Topology;
import dev.ordersaga.messaging.web.BadRequestException;
import dev.ordersaga.messaging.web.QueryParameters;
import io.micrometer.core.instrument.MeterRegistry;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.Principal;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.springframework.util.MultiValueMap;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Parked broker messages of the topology's queues: {@code GET /ops/parked} for every queue and how
 * many messages are parked from it, {@code GET /ops/parked/{queue}?limit=} to look at them (they
 * stay parked) and {@code POST /ops/parked/{queue}/redrive} with {@code {limit, reason}} to send
 * the oldest back to their queue (audited). {@code queue} is the base name of one of the topology's
 * queues, such as {@code payment-service.commands}.
 */
@RestController
class ParkedController {

  private static final int DEFAULT_LIMIT = 20;
  private static final int MAX_BODY_TEXT = 4096;

  private final ParkingLot parkingLot;
  private final ParkedQueues parkedQueues;
  private final Topology topology;
  private final AuditLog audit;
  private final RequestReader reader;
  private final ObjectMapper mapper;
  private final OpsSettings settings;
  private final Clock clock;
  private final MeterRegistry meters;

  ParkedController(
      ParkingLot parkingLot,
      ParkedQueues parkedQueues,
      Topology topology,
      AuditLog audit,
      RequestReader reader,
      ObjectMapper mapper,
      OpsSettings settings,
      Clock clock,
      MeterRegistry meters) {
    this.parkingLot = parkingLot;
    this.parkedQueues = parkedQueues;
    this.topology = topology;
    this.audit = audit;
    this.reader = reader;
    this.mapper = mapper;
    this.settings = settings;
    this.clock = clock;
    this.meters = meters;
  }

  /**
   * A parked message.
   *
   * @param reason why it was parked: {@code UNDECODABLE}, {@code REJECTED} or {@code
   *     DELIVERY_LIMIT}
   * @param detail the reason's code, when the consumer gave one ({@code UNKNOWN_TYPE}, {@code
   *     INVALID_ENVELOPE_FIELD}, {@code UNASKED_STEP}...)
   * @param body the message as JSON, or {@code null} when it is not JSON (then {@code bodyText})
   */
  record ParkedMessage(
      String messageId,
      String type,
      String sagaId,
      String reason,
      String detail,
      String parkedBy,
      String parkedAt,
      String exception,
      String exceptionMessage,
      String deliveries,
      JsonNode body,
      String bodyText) {}

  record ParkedList(String queue, String parkingQueue, List<ParkedMessage> messages) {}

  /**
   * @param limit how many messages to send back, oldest first (required; at most the {@code
   *     parkedMaxMessages} setting: a range checked in code)
   * @param reason why (required), kept in the audit log
   */
  record RedriveBody(
      @NotNull(message = "is required: how many messages to re-drive") Integer limit,
      @NotNull(message = OpsSagaController.REASON_REQUIRED)
          @NotBlank(message = OpsSagaController.REASON_REQUIRED)
          @ReasonText
          String reason) {}

  /** {@code redriven} messages went back to {@code queue}: {@code messages}, in that order. */
  record RedriveResult(String queue, int limit, int redriven, List<ParkedMessage> messages) {}

  /**
   * Every queue of the topology with the number of messages parked from it, those with parked
   * messages first; takes no parameters.
   */
  @GetMapping("/ops/parked")
  ParkedQueues.Counts queues(@RequestParam MultiValueMap<String, String> parameters) {
    QueryParameters.of(parameters, Set.of());
    return parkedQueues.count();
  }

  @GetMapping("/ops/parked/{queue}")
  ParkedList parked(
      @PathVariable String queue, @RequestParam MultiValueMap<String, String> parameters) {
    checkQueue(queue);
    QueryParameters params = QueryParameters.of(parameters, Set.of("limit"));
    int limit =
        params.integer(
            "limit",
            Math.min(DEFAULT_LIMIT, settings.parkedMaxMessages()),
            1,
            settings.parkedMaxMessages());
    return new ParkedList(queue, topology.parkingQueue(queue), look(queue, limit));
  }

  @IdempotencyKeyHeader
  @ApiResponse(
      responseCode = "409",
      description =
          "The Idempotency-Key was used for another request, or its first request still"
              + " runs (Retry-After)")
  @ApiResponse(
      responseCode = "200",
      description = "How many messages were sent back to their queue")
  @PostMapping("/ops/parked/{queue}/redrive")
  RedriveResult redrive(
      @PathVariable String queue, @RequestBody(required = false) byte[] body, Principal principal) {
    checkQueue(queue);
    RedriveBody request = reader.body(body, RedriveBody.class);
    int limit =
        QueryParameters.checkRange("limit", request.limit(), 1, settings.parkedMaxMessages());
    String reason = OpsSagaController.reason(request.reason());
    List<ParkedMessage> moved = parkingLot.redrive(queue, limit).stream().map(this::view).toList();
    int redriven = moved.size();
    meters.counter("saga.ops.actions", "action", "redrive", "result", "done").increment();
    meters.counter("saga.ops.redriven", "queue", queue).increment(redriven);
    RedriveResult result = new RedriveResult(queue, limit, redriven, moved);
    List<String> sagas = new ArrayList<>();
    moved.stream()
        .map(ParkedMessage::sagaId)
        .distinct()
        .forEach(
            id -> {
              if (id != null) {
                sagas.add(id);
              }
            });
    Map<String, Object> asked = new LinkedHashMap<>();
    asked.put("limit", limit);
    audit.record(
        new AuditEntry(
            UUID.randomUUID().toString(),
            clock.instant(),
            principal.getName(),
            "redrive",
            false,
            sagas,
            queue,
            reason,
            "DONE",
            mapper.valueToTree(asked),
            mapper.valueToTree(
                Map.of(
                    "redriven",
                    redriven,
                    "messageIds",
                    moved.stream().map(ParkedMessage::messageId).toList()))));
    return result;
  }

  /**
   * The oldest {@code limit} parked messages. Every one parked (up to {@code
   * saga.ops.parked-max-messages}) is looked at and the first {@code limit} kept, so the queue's
   * order stays as it was: a look takes messages off the queue and gives them back, and RabbitMQ
   * 3.x puts a quorum queue's returned messages at its back, so looking at fewer than all would
   * move those behind the rest.
   */
  private List<ParkedMessage> look(String queue, int limit) {
    long parked = parkedQueues.count(queue);
    if (parked == 0) {
      return List.of();
    }
    int all = (int) Math.min(Math.max(parked, limit), settings.parkedMaxMessages());
    return parkingLot.peek(queue, all).stream().limit(limit).map(this::view).toList();
  }

  private void checkQueue(String queue) {
    List<String> known = topology.queues().stream().map(Topology.QueueSpec::baseName).toList();
    if (!known.contains(queue)) {
      throw new BadRequestException("queue", "must be one of " + known);
    }
  }

  private ParkedMessage view(ParkingLot.Parked parked) {
    Map<String, Object> headers = parked.headers();
    JsonNode json = null;
    String text = null;
    try {
      json = mapper.readTree(parked.body());
    } catch (IOException e) {
      String raw = new String(parked.body(), StandardCharsets.UTF_8);
      text = raw.length() > MAX_BODY_TEXT ? raw.substring(0, MAX_BODY_TEXT) + "..." : raw;
    }
    return new ParkedMessage(
        parked.messageId(),
        parked.type(),
        header(headers, ConfirmingPublisher.SAGA_ID_HEADER),
        header(headers, ParkingHeaders.REASON),
        header(headers, ParkingHeaders.DETAIL),
        header(headers, ParkingHeaders.SERVICE),
        header(headers, ParkingHeaders.PARKED_AT),
        header(headers, ParkingHeaders.EXCEPTION),
        header(headers, ParkingHeaders.EXCEPTION_MESSAGE),
        header(headers, ParkingHeaders.DELIVERIES),
        json,
        text);
  }

  private static String header(Map<String, Object> headers, String name) {
    Object value = headers.get(name);
    return value == null ? null : value.toString();
  }
}
