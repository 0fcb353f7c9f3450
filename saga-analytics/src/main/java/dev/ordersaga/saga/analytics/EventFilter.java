package dev.ordersaga.saga.analytics;

import com.mongodb.client.model.Filters;
import dev.ordersaga.saga.journal.SagaJournal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.axonframework.common.DateTimeUtils;
import org.bson.conversions.Bson;

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
        throw new InvalidParameterException(
            "type", "'" + type + "' is not a wire type; known: " + journalTypes.wireTypes());
      }
    }
    Set<String> services = parameters.list("service", true);
    for (String service : services) {
      if (!journalTypes.services().contains(service)) {
        throw new InvalidParameterException(
            "service", "'" + service + "' is not a service; known: " + journalTypes.services());
      }
    }
    Direction direction =
        parameters
            .single("direction")
            .map(
                value ->
                    Direction.fromWire(value)
                        .orElseThrow(
                            () ->
                                new InvalidParameterException(
                                    "direction", "must be in or out, was '" + value + "'")))
            .orElse(null);
    Instant from = parameters.instant("from").orElse(null);
    Instant to = parameters.instant("to").orElse(null);
    if (from != null && to != null && from.isAfter(to)) {
      throw new InvalidParameterException("to", "must not be before from");
    }
    return new EventFilter(sagaIds, types, services, direction, from, to);
  }

  /** The store query: entries of saga streams matching every given criterion. */
  Bson toQuery(JournalTypes journalTypes) {
    List<Bson> criteria = new ArrayList<>();
    criteria.add(Filters.eq(JournalFields.STREAM_TYPE, SagaJournal.STREAM_TYPE));
    if (!sagaIds.isEmpty()) {
      criteria.add(Filters.in(JournalFields.SAGA_ID, new TreeSet<>(sagaIds)));
    }
    if (!types.isEmpty() || !services.isEmpty() || direction != null) {
      List<String> classNames =
          journalTypes.all().stream()
              .filter(kind -> types.isEmpty() || types.contains(kind.wireType()))
              .filter(kind -> services.isEmpty() || services.contains(kind.service()))
              .filter(kind -> direction == null || kind.direction() == direction)
              .map(kind -> kind.type().getName())
              .sorted()
              .toList();
      criteria.add(Filters.in(JournalFields.PAYLOAD_TYPE, classNames));
    }
    if (from != null) {
      criteria.add(Filters.gte(JournalFields.RECORDED_AT, storedTime(from)));
    }
    if (to != null) {
      criteria.add(Filters.lt(JournalFields.RECORDED_AT, storedTime(to)));
    }
    return Filters.and(criteria);
  }

  /**
   * An instant as the store writes recorded times: ISO-8601 text in UTC with exactly three
   * fractional digits, so text order is time order. Finer digits are cut off: ranges are kept at
   * the store's millisecond precision.
   */
  static String storedTime(Instant instant) {
    return DateTimeUtils.formatInstant(instant);
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
            + (from == null ? "" : storedTime(from))
            + "\u001f"
            + (to == null ? "" : storedTime(to));
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(canonical.getBytes(StandardCharsets.UTF_8));
      return Base64.getUrlEncoder().withoutPadding().encodeToString(digest).substring(0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JVM", e);
    }
  }
}
