package dev.ordersaga.saga.runtime;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ordersaga.messaging.Command;
import dev.ordersaga.messaging.Envelope;
import dev.ordersaga.messaging.Message;
import dev.ordersaga.messaging.codec.WireCodec;
import dev.ordersaga.saga.SagaSettings;
import dev.ordersaga.saga.SagaState;
import dev.ordersaga.saga.SagaStatus;
import dev.ordersaga.saga.journal.Direction;
import dev.ordersaga.saga.journal.JournalEvent;
import dev.ordersaga.saga.journal.JournalReader;
import dev.ordersaga.saga.view.MongoSagaStatusBoard;
import dev.ordersaga.saga.view.SagaQuery;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.axonframework.eventhandling.GenericEventMessage;

/**
 * The replay check: runs a candidate version of the saga over histories the journal recorded,
 * without side effects, and says per saga where the candidate decides otherwise than the version
 * that ran it. Each saga's recorded inbound messages (order events, replies, deadlines, operator
 * requests), in the order it consumed them, are fed to a fresh saga of the candidate version, at
 * the time each was recorded; what it decides is collected ({@link StepEffects}) and nothing is
 * sent, stored or counted (its meters are its own). Compared: the commands it would send, in order
 * (wire type and payload), and the saga's state at the end.
 *
 * <p>Off the hot path: it reads the status board (which sagas) and each saga's history.
 */
public final class HistoryReplay {

  /** At most this many differences are reported per saga. */
  static final int MAX_DIFFERENCES = 10;

  private final SagaVersions versions;
  private final MongoSagaStatusBoard board;
  private final JournalReader journal;
  private final WireCodec codec;
  private final SagaSettings settings;
  private final ObjectMapper json = new ObjectMapper();

  public HistoryReplay(
      SagaVersions versions,
      MongoSagaStatusBoard board,
      JournalReader journal,
      WireCodec codec,
      SagaSettings settings) {
    this.versions = versions;
    this.board = board;
    this.journal = journal;
    this.codec = codec;
    this.settings = settings;
  }

  /**
   * Which sagas to check: the first {@code sample} of those started in [{@code from}, {@code to})
   * (oldest first), ending in one of {@code outcomes} (any state when empty).
   */
  public record Selection(int sample, Instant from, Instant to, Set<SagaState> outcomes) {}

  /**
   * One decision that differs.
   *
   * @param kind {@code COMMAND} (the n-th command sent, {@code at} from 0), {@code STATE} (the
   *     state at the end) or {@code ERROR} (the candidate could not replay the history)
   * @param recorded what the recorded version did ({@code null}: nothing there)
   * @param candidate what the candidate would do ({@code null}: nothing there)
   */
  public record Difference(String kind, Integer at, String recorded, String candidate) {}

  /** A saga whose replay differs from its record. */
  public record SagaResult(
      String orderId,
      String recordedVersion,
      String recordedState,
      String candidateState,
      int recordedCommands,
      int candidateCommands,
      List<Difference> differences) {}

  /**
   * @param checked how many sagas were replayed
   * @param same how many of them the candidate decided exactly as recorded
   * @param sagas those that differ, with their differences
   */
  public record Report(String candidate, int checked, int same, List<SagaResult> sagas) {}

  /**
   * @throws IllegalArgumentException when {@code candidate} is not deployed in this engine
   */
  public Report check(String candidate, Selection selection) {
    SagaDefinition<?> definition =
        versions
            .find(candidate)
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "is not a saga version of this engine " + versions.versions()));
    SagaQuery query =
        new SagaQuery(
            selection.outcomes(),
            null,
            null,
            null,
            null,
            selection.to(),
            selection.from() == null ? null : selection.from().minusMillis(1),
            null,
            null);
    List<SagaResult> differing = new ArrayList<>();
    int checked = 0;
    MongoSagaStatusBoard.Position after = null;
    while (checked < selection.sample()) {
      MongoSagaStatusBoard.Page page =
          board.search(query, after, Math.min(200, selection.sample() - checked));
      for (MongoSagaStatusBoard.Entry entry : page.entries()) {
        checked++;
        SagaResult result = replay(definition, entry, journal.history(entry.status().orderId()));
        if (!result.differences().isEmpty()) {
          differing.add(result);
        }
      }
      if (!page.more() || page.entries().isEmpty()) {
        break;
      }
      SagaStatus last = page.entries().get(page.entries().size() - 1).status();
      after = new MongoSagaStatusBoard.Position(last.startedAt(), last.orderId());
    }
    return new Report(definition.version(), checked, checked - differing.size(), differing);
  }

  /** Replays one saga's recorded history on {@code definition}; compares with the record. */
  SagaResult replay(
      SagaDefinition<?> definition, MongoSagaStatusBoard.Entry entry, List<JournalEvent> history) {
    String orderId = entry.status().orderId();
    List<Decision> recorded = new ArrayList<>();
    List<Decision> decided = new ArrayList<>();
    SagaState recordedState = entry.status().state();
    SagaState candidateState = null;
    List<Difference> differences = new ArrayList<>();
    try {
      ReplayClock clock = new ReplayClock();
      Object saga = null;
      boolean active = true;
      SagaStatus status = null;
      for (JournalEvent event : history) {
        if (Direction.OUT.wire().equals(event.direction())) {
          recorded.add(new Decision(event.type(), canonical(json.readTree(event.payload()))));
          continue;
        }
        Envelope<Message> message = decode(event);
        clock.at(event.recordedAt());
        GenericEventMessage<Message> asEvent =
            new GenericEventMessage<>(
                message.messageId(), message.payload(), Map.of(), message.occurredAt());
        if (saga == null) {
          if (!definition.starts(asEvent)) {
            throw new IllegalStateException(
                "the candidate starts no saga on " + message.type() + ", the saga's first message");
          }
          saga = definition.create();
        }
        StepEffects effects = new StepEffects(clock, Map.of());
        if (active) {
          active = definition.handle(orderId, saga, List.of(settings, clock, effects), asEvent);
        }
        for (Envelope<Command> command : effects.commands()) {
          decided.add(new Decision(command.type(), canonical(payload(command))));
        }
        status = effects.status(status);
      }
      candidateState = status == null ? null : status.state();
      compare(recorded, decided, differences);
      if (candidateState != recordedState && differences.size() < MAX_DIFFERENCES) {
        differences.add(
            new Difference(
                "STATE", null, String.valueOf(recordedState), String.valueOf(candidateState)));
      }
    } catch (RuntimeException | JsonProcessingException e) {
      differences.add(new Difference("ERROR", null, null, e.getMessage()));
    }
    return new SagaResult(
        orderId,
        entry.sagaVersion(),
        String.valueOf(recordedState),
        candidateState == null ? null : candidateState.name(),
        recorded.size(),
        decided.size(),
        differences);
  }

  /** A command sent: its wire type and its payload (JSON objects compare by content). */
  private record Decision(String type, JsonNode payload) {
    @Override
    public String toString() {
      return type + " " + payload;
    }
  }

  private static void compare(
      List<Decision> recorded, List<Decision> decided, List<Difference> differences) {
    for (int i = 0;
        i < Math.max(recorded.size(), decided.size()) && differences.size() < MAX_DIFFERENCES;
        i++) {
      Decision was = i < recorded.size() ? recorded.get(i) : null;
      Decision would = i < decided.size() ? decided.get(i) : null;
      if (!Objects.equals(was, would)) {
        differences.add(
            new Difference(
                "COMMAND",
                i,
                was == null ? null : was.toString(),
                would == null ? null : would.toString()));
      }
    }
  }

  /** The payload without its null fields: a writer that leaves them out says the same. */
  private static JsonNode canonical(JsonNode node) {
    if (node != null && node.isObject()) {
      com.fasterxml.jackson.databind.node.ObjectNode copy =
          ((com.fasterxml.jackson.databind.node.ObjectNode) node).deepCopy();
      List<String> nulls = new ArrayList<>();
      for (Map.Entry<String, JsonNode> field : List.copyOf(copy.properties())) {
        if (field.getValue().isNull()) {
          nulls.add(field.getKey());
        } else {
          copy.set(field.getKey(), canonical(field.getValue()));
        }
      }
      copy.remove(nulls);
      return copy;
    }
    return node;
  }

  private JsonNode payload(Envelope<Command> command) {
    try {
      return json.readTree(codec.encode(command)).get("payload");
    } catch (java.io.IOException e) {
      throw new IllegalStateException("cannot read back " + command.type(), e);
    }
  }

  /** The recorded message as the saga consumed it, decoded by the engine's own codec. */
  private Envelope<Message> decode(JournalEvent event) throws JsonProcessingException {
    Map<String, Object> envelope = new java.util.LinkedHashMap<>();
    envelope.put("messageId", event.eventId());
    envelope.put("sagaId", event.sagaId());
    envelope.put("causationId", event.causationId());
    envelope.put("type", event.type());
    envelope.put("revision", event.revision() == null ? 1 : event.revision());
    envelope.put("occurredAt", event.occurredAt().toString());
    envelope.put("payload", json.readTree(event.payload()));
    return codec.decode(json.writeValueAsString(envelope).getBytes(StandardCharsets.UTF_8));
  }

  /** The time of the message being replayed, as the saga's clock. */
  private static final class ReplayClock extends Clock {
    private Instant now = Instant.EPOCH;

    void at(Instant instant) {
      if (instant != null) {
        now = instant;
      }
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }
}
