package dev.ordersaga.saga.analytics;

import dev.ordersaga.messaging.web.BadRequestException;
import dev.ordersaga.messaging.web.QueryParameters;
import dev.ordersaga.saga.journal.Direction;
import dev.ordersaga.saga.journal.JournalQuery;
import dev.ordersaga.saga.journal.JournalReader;
import dev.ordersaga.saga.journal.JournalTypes;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which journal entries an analyst asks for, checked: every saga id, wire type, service, the
 * direction and the time range ({@code from} inclusive, {@code to} exclusive, on the recorded
 * time). Empty sets and nulls mean "any". The store query is built from these typed values only.
 *
 * <p>Wire types, services and the direction are answered through the stored payload's class name
 * ({@link JournalTypes}): an entry whose class this engine does not know is returned by a filter
 * without them, and by no filter with them.
 */
public record EventFilter(
    Set<String> sagaIds,
    Set<String> types,
    Set<String> services,
    Direction direction,
    Instant from,
    Instant to) {

  /** The query parameters of an events filter. */
  public static final Set<String> PARAMETERS =
      Set.of("sagaId", "type", "service", "direction", "from", "to");

  public EventFilter {
    sagaIds = Set.copyOf(sagaIds);
    types = Set.copyOf(types);
    services = Set.copyOf(services);
  }

  /** Reads and checks the filter's parameters. */
  static EventFilter from(QueryParameters parameters, JournalTypes journalTypes) {
    Set<String> sagaIds = parameters.list("sagaId", false);
    Set<String> types = parameters.list("type", true);
    for (String type : types) {
      if (journalTypes.ofWireType(type).isEmpty()) {
        throw new BadRequestException(
            "type", "'" + type + "' is not a wire type; known: " + journalTypes.wireTypes());
      }
    }
    Set<String> services = parameters.list("service", true);
    for (String service : services) {
      if (!journalTypes.services().contains(service)) {
        throw new BadRequestException(
            "service", "'" + service + "' is not a service; known: " + journalTypes.services());
      }
    }
    Direction direction =
        parameters
            .text("direction")
            .map(
                value ->
                    Direction.fromWire(value)
                        .orElseThrow(
                            () ->
                                new BadRequestException(
                                    "direction", "must be in or out, was '" + value + "'")))
            .orElse(null);
    Instant from = parameters.instant("from").orElse(null);
    Instant to = parameters.instant("to").orElse(null);
    if (from != null && to != null && from.isAfter(to)) {
      throw new BadRequestException("to", "must not be before from");
    }
    return new EventFilter(sagaIds, types, services, direction, from, to);
  }

  /** The journal's query: entries of saga streams matching every given criterion. */
  JournalQuery toJournalQuery(JournalTypes journalTypes) {
    List<JournalTypes.Kind> kinds = null;
    if (!types.isEmpty() || !services.isEmpty() || direction != null) {
      kinds =
          journalTypes.all().stream()
              .filter(kind -> types.isEmpty() || types.contains(kind.wireType()))
              .filter(kind -> services.isEmpty() || services.contains(kind.service()))
              .filter(kind -> direction == null || kind.direction() == direction)
              .toList();
    }
    return new JournalQuery(sagaIds, kinds, from, to);
  }

  /**
   * A short digest of the filter, so that a page cursor can only continue the query it came from.
   */
  String fingerprint() {
    String canonical =
        String.join("\u001e", new TreeSet<>(sagaIds))
            + "\u001f"
            + String.join("\u001e", new TreeSet<>(types))
            + "\u001f"
            + String.join("\u001e", new TreeSet<>(services))
            + "\u001f"
            + direction
            + "\u001f"
            + (from == null ? "" : JournalReader.storedTime(from))
            + "\u001f"
            + (to == null ? "" : JournalReader.storedTime(to));
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(canonical.getBytes(StandardCharsets.UTF_8));
      return Base64.getUrlEncoder().withoutPadding().encodeToString(digest).substring(0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JVM", e);
    }
  }
}
