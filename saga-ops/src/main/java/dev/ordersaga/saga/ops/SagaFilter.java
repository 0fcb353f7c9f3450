package dev.ordersaga.saga.ops;

import dev.ordersaga.messaging.contracts.order.RejectionReason;
import dev.ordersaga.messaging.web.BadRequestException;
import dev.ordersaga.messaging.web.QueryParameters;
import dev.ordersaga.messaging.web.RequestValues;
import dev.ordersaga.messaging.web.ValidatedBodies;
import dev.ordersaga.saga.SagaState;
import dev.ordersaga.saga.Step;
import dev.ordersaga.saga.view.SagaQuery;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Which sagas an operator means: the filters of {@code GET /ops/sagas}, and the {@code filter} of a
 * bulk action (the same names and values). Every criterion is optional; given ones must all hold.
 *
 * @param state any of these states (query parameter: comma-separated)
 * @param stuck {@code true}: only sagas past their deadline plus the stuck margin; {@code false}:
 *     only the others
 * @param olderThan started before: an ISO-8601 duration back from now ({@code PT1H}) or an instant
 *     ({@code 2026-11-21T10:00:00Z})
 * @param newerThan started after: a duration back from now or an instant
 * @param step the step in progress
 * @param reason the failure reason
 * @param customerId the customer's id
 * @param email the customer's e-mail address (case does not matter)
 */
public record SagaFilter(
    @Size(min = 1, message = "must name at least one state")
        List<@NotNull(message = ValidatedBodies.REQUIRED) SagaState> state,
    Boolean stuck,
    String olderThan,
    String newerThan,
    Step step,
    RejectionReason reason,
    String customerId,
    String email) {

  /** Longest text value of a filter (a customer id, an e-mail, a duration or instant). */
  static final int MAX_TEXT = 200;

  static final Set<String> PARAMETERS =
      Set.of("state", "stuck", "olderThan", "newerThan", "step", "reason", "customerId", "email");

  /**
   * Puts the states in a fixed order, so the same filter has one name; an empty list or a null
   * state is left as it is, for the annotations to refuse (a bulk action's filter is validated
   * after it is built).
   */
  public SagaFilter {
    if (state != null && !state.isEmpty() && state.stream().noneMatch(Objects::isNull)) {
      state = List.copyOf(EnumSet.copyOf(state));
    }
  }

  /** Reads the filter from a listing's query parameters. */
  static SagaFilter from(QueryParameters params) {
    return new SagaFilter(
        params.text("state").map(SagaFilter::states).orElse(null),
        params.bool("stuck").orElse(null),
        params.text("olderThan").orElse(null),
        params.text("newerThan").orElse(null),
        params.text("step").map(value -> parse(Step.class, "step", value)).orElse(null),
        params
            .text("reason")
            .map(value -> parse(RejectionReason.class, "reason", value))
            .orElse(null),
        params.text("customerId").orElse(null),
        params.text("email").orElse(null));
  }

  /**
   * Checks the values that JSON types cannot (text lengths, ages) and builds the board query; a bad
   * value is a 400 naming {@code prefix + field}.
   */
  SagaQuery toQuery(Instant now, Duration stuckMargin, String prefix) {
    if (customerId != null) {
      QueryParameters.checkText(prefix + "customerId", customerId, MAX_TEXT);
    }
    if (email != null) {
      QueryParameters.checkText(prefix + "email", email, MAX_TEXT);
    }
    return new SagaQuery(
        state == null ? null : Set.copyOf(state),
        step,
        reason == null ? null : reason.name(),
        customerId,
        email,
        olderThan == null ? null : cutoff(prefix + "olderThan", olderThan, now),
        newerThan == null ? null : cutoff(prefix + "newerThan", newerThan, now),
        stuck,
        stuck == null ? null : now.minus(stuckMargin));
  }

  boolean isEmpty() {
    return state == null
        && stuck == null
        && olderThan == null
        && newerThan == null
        && step == null
        && reason == null
        && customerId == null
        && email == null;
  }

  /** Identifies the filter, so a page cursor is only honoured with the query that made it. */
  String fingerprint() {
    return toString();
  }

  /** An ISO-8601 duration back from now, or an instant. */
  private static Instant cutoff(String field, String value, Instant now) {
    QueryParameters.checkText(field, value, MAX_TEXT);
    try {
      if (value.startsWith("P") || value.startsWith("p")) {
        Duration age = Duration.parse(value);
        if (age.isNegative() || age.isZero()) {
          throw new BadRequestException(field, "must be a positive duration");
        }
        Instant cutoff = now.minus(age);
        if (cutoff.isBefore(RequestValues.MIN_INSTANT)) {
          throw new BadRequestException(field, "must reach back no further than year 1");
        }
        return cutoff;
      }
      return RequestValues.instant(value);
    } catch (DateTimeException | ArithmeticException | IllegalArgumentException e) {
      throw new BadRequestException(
          field,
          "must be an ISO-8601 duration such as PT30M or P1D, or an instant such as"
              + " 2026-11-21T10:00:00Z");
    }
  }

  private static List<SagaState> states(String value) {
    List<SagaState> states = new ArrayList<>();
    for (String name : value.split(",", -1)) {
      states.add(parse(SagaState.class, "state", name.strip()));
    }
    return states;
  }

  private static <E extends Enum<E>> E parse(Class<E> type, String field, String value) {
    try {
      return Enum.valueOf(type, value);
    } catch (IllegalArgumentException e) {
      throw new BadRequestException(field, "must be " + ValidatedBodies.describe(type));
    }
  }
}
