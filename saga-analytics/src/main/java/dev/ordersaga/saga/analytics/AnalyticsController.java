package dev.ordersaga.saga.analytics;

import dev.ordersaga.messaging.web.BadRequestException;
import dev.ordersaga.messaging.web.InvalidCursorException;
import dev.ordersaga.messaging.web.QueryParameters;
import dev.ordersaga.messaging.web.SignedCursors;
import dev.ordersaga.saga.analytics.SagaOutcomes.FailureReasons;
import dev.ordersaga.saga.analytics.SagaOutcomes.Outcomes;
import dev.ordersaga.saga.journal.JournalEvent;
import dev.ordersaga.saga.journal.JournalReader;
import dev.ordersaga.saga.journal.JournalReader.Position;
import dev.ordersaga.saga.journal.JournalTypes;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.util.MultiValueMap;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The analyst API, read-only: the journal's events with filters and cursor paging, their export as
 * NDJSON or CSV, and aggregates (outcomes per hour or day, failure reasons, step latency, retries
 * and compensations). Every parameter is checked; a wrong one is a 400 problem naming it.
 */
@RestController
@RequestMapping("/analytics")
public class AnalyticsController {

  /** Most buckets one outcomes request may span. */
  static final long MAX_BUCKETS = 2000;

  /** How far back aggregates without buckets look when {@code from} is not given. */
  static final Duration DEFAULT_SPAN = Duration.ofHours(24);

  private static final Logger log = LoggerFactory.getLogger(AnalyticsController.class);

  /** The listing of {@code GET /analytics/events}, as its cursors name it. */
  private static final String EVENTS_LISTING = "analytics-events";

  private static final DateTimeFormatter FILE_TIME =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

  private final JournalReader reader;
  private final EventExporter exporter;
  private final SagaOutcomes outcomes;
  private final StepAnalysis stepAnalysis;
  private final SignedCursors cursors;
  private final JournalTypes journalTypes;
  private final AnalyticsSettings settings;
  private final Clock clock;

  public AnalyticsController(
      JournalReader reader,
      EventExporter exporter,
      SagaOutcomes outcomes,
      SignedCursors cursors,
      JournalTypes journalTypes,
      AnalyticsSettings settings,
      Clock clock) {
    this.reader = reader;
    this.exporter = exporter;
    this.outcomes = outcomes;
    this.stepAnalysis = new StepAnalysis(reader);
    this.cursors = cursors;
    this.journalTypes = journalTypes;
    this.settings = settings;
    this.clock = clock;
  }

  /** A page of events; {@code nextCursor} is null on the last page. */
  public record EventsPage(List<JournalEvent> events, String nextCursor) {}

  /** Step latency in milliseconds, per step of the saga. */
  public record StepLatency(
      String step,
      String command,
      long runs,
      long answered,
      long unanswered,
      Long p50Ms,
      Long p95Ms,
      Long p99Ms,
      Long maxMs) {}

  /**
   * @param version the saga version the figures are of, or {@code null} for all sagas
   */
  public record StepLatencyReport(
      Instant from, Instant to, String version, List<StepLatency> steps) {}

  /** Retries per step: commands sent beyond each run's first; a compensation step's runs. */
  public record StepRetries(
      String step, String command, boolean compensation, long runs, long commands, long retries) {}

  /**
   * @param version the saga version the figures are of, or {@code null} for all sagas
   */
  public record StepRetriesReport(
      Instant from, Instant to, String version, List<StepRetries> steps) {}

  @GetMapping("/events")
  public EventsPage events(@RequestParam MultiValueMap<String, String> query) {
    QueryParameters parameters =
        QueryParameters.of(query, with(EventFilter.PARAMETERS, "cursor", "pageSize"));
    EventFilter filter = EventFilter.from(parameters, journalTypes);
    int pageSize =
        parameters.integer("pageSize", settings.defaultPageSize(), 1, settings.maxPageSize());
    Position after =
        parameters.text("cursor").map(c -> position(c, filter.fingerprint())).orElse(null);
    JournalReader.Page page = reader.page(filter.toJournalQuery(journalTypes), after, pageSize);
    return new EventsPage(
        page.events(),
        page.next() == null
            ? null
            : cursors.issue(
                EVENTS_LISTING,
                filter.fingerprint(),
                List.of(page.next().recordedAt(), page.next().eventId())));
  }

  /** The position in a cursor this API issued for the filter, else a 400 naming {@code cursor}. */
  private Position position(String cursor, String fingerprint) {
    try {
      List<String> values = cursors.open(cursor, EVENTS_LISTING, fingerprint);
      return new Position(values.get(0), values.get(1));
    } catch (InvalidCursorException e) {
      throw new BadRequestException(InvalidCursorException.PARAMETER, e.getMessage());
    }
  }

  /**
   * Every event of a filter, streamed as it is read: {@code format=ndjson} or {@code format=csv}.
   * Parameters are checked before the first byte is written.
   */
  @GetMapping("/export")
  public void export(
      @RequestParam MultiValueMap<String, String> query, HttpServletResponse response) {
    QueryParameters parameters = QueryParameters.of(query, with(EventFilter.PARAMETERS, "format"));
    EventFilter filter = EventFilter.from(parameters, journalTypes);
    String formatName =
        parameters
            .text("format")
            .orElseThrow(() -> new BadRequestException("format", "is required: ndjson or csv"));
    ExportFormat format =
        ExportFormat.named(formatName)
            .orElseThrow(
                () ->
                    new BadRequestException(
                        "format", "must be ndjson or csv, was '" + formatName + "'"));
    response.setStatus(HttpServletResponse.SC_OK);
    response.setContentType(
        format == ExportFormat.CSV ? format.mediaType() + ";charset=UTF-8" : format.mediaType());
    response.setHeader(
        HttpHeaders.CONTENT_DISPOSITION,
        ContentDisposition.attachment()
            .filename("events-" + FILE_TIME.format(clock.instant()) + "." + format.extension())
            .build()
            .toString());
    try {
      OutputStream out = response.getOutputStream();
      long rows = exporter.export(filter, format, out);
      out.flush();
      log.debug("exported {} events as {}", rows, format);
    } catch (IOException clientGone) {
      // only writing to the client throws this (a store failure is a MongoException)
      log.info("export as {} ended early, the client went away: {}", format, clientGone.toString());
    }
  }

  @GetMapping("/aggregates/outcomes")
  public Outcomes outcomes(@RequestParam MultiValueMap<String, String> query) {
    QueryParameters parameters = QueryParameters.of(query, Set.of("bucket", "from", "to"));
    Bucket bucket =
        parameters
            .text("bucket")
            .map(
                name ->
                    Bucket.named(name)
                        .orElseThrow(
                            () ->
                                new BadRequestException(
                                    "bucket", "must be hour or day, was '" + name + "'")))
            .orElse(Bucket.HOUR);
    Instant[] range = range(parameters, bucket.defaultSpan());
    if (bucket.count(range[0], range[1]) > MAX_BUCKETS) {
      throw new BadRequestException(
          "from",
          "the range spans more than "
              + MAX_BUCKETS
              + " "
              + bucket.wire()
              + " buckets; narrow it or use bucket=day");
    }
    return outcomes.outcomes(bucket, range[0], range[1]);
  }

  @GetMapping("/aggregates/failure-reasons")
  public FailureReasons failureReasons(@RequestParam MultiValueMap<String, String> query) {
    Instant[] range = range(QueryParameters.of(query, Set.of("from", "to")), DEFAULT_SPAN);
    return outcomes.failureReasons(range[0], range[1]);
  }

  @GetMapping("/aggregates/step-latency")
  public StepLatencyReport stepLatency(@RequestParam MultiValueMap<String, String> query) {
    QueryParameters parameters = QueryParameters.of(query, Set.of("from", "to", "version"));
    Instant[] range = range(parameters, DEFAULT_SPAN);
    String version = version(parameters);
    List<StepLatency> steps =
        steps(range, version).stream()
            .map(
                f ->
                    new StepLatency(
                        f.step().name(),
                        f.command(),
                        f.runs(),
                        f.answered(),
                        f.unanswered(),
                        f.p50Ms(),
                        f.p95Ms(),
                        f.p99Ms(),
                        f.maxMs()))
            .toList();
    return new StepLatencyReport(range[0], range[1], version, steps);
  }

  @GetMapping("/aggregates/step-retries")
  public StepRetriesReport stepRetries(@RequestParam MultiValueMap<String, String> query) {
    QueryParameters parameters = QueryParameters.of(query, Set.of("from", "to", "version"));
    Instant[] range = range(parameters, DEFAULT_SPAN);
    String version = version(parameters);
    List<StepRetries> steps =
        steps(range, version).stream()
            .map(
                f ->
                    new StepRetries(
                        f.step().name(),
                        f.command(),
                        f.compensation(),
                        f.runs(),
                        f.commands(),
                        f.retries()))
            .toList();
    return new StepRetriesReport(range[0], range[1], version, steps);
  }

  /** The steps of every saga, or of those on one version of the saga's definition. */
  private List<StepStatistics.StepFigures> steps(Instant[] range, String version) {
    if (version == null) {
      return stepAnalysis.steps(range[0], range[1]);
    }
    Set<String> sagas = outcomes.sagasOn(version, range[0]);
    return stepAnalysis.steps(range[0], range[1], sagas::contains);
  }

  /** The {@code version} parameter: a saga version's name such as {@code v2}, or absent. */
  private static String version(QueryParameters parameters) {
    Optional<String> version = parameters.text("version");
    if (version.isPresent() && !version.get().matches("[A-Za-z0-9._-]{1,64}")) {
      throw new BadRequestException(
          "version", "must be a saga version's name such as v2 (letters, digits, '.', '_', '-')");
    }
    return version.orElse(null);
  }

  /** {@code [from, to)}: {@code to} defaults to now, {@code from} to {@code span} before it. */
  private Instant[] range(QueryParameters parameters, Duration span) {
    Optional<Instant> givenTo = parameters.instant("to");
    Instant to = givenTo.orElseGet(() -> clock.instant().truncatedTo(ChronoUnit.MILLIS));
    Instant from = parameters.instant("from").orElseGet(() -> to.minus(span));
    if (!from.isBefore(to)) {
      throw givenTo.isPresent()
          ? new BadRequestException("to", "must be after from (" + from + ")")
          : new BadRequestException("from", "must be before now (" + to + ")");
    }
    return new Instant[] {from, to};
  }

  private static Set<String> with(Set<String> names, String... more) {
    Set<String> all = new HashSet<>(names);
    all.addAll(List.of(more));
    return all;
  }
}
