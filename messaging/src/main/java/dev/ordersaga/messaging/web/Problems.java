package dev.ordersaga.messaging.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

/**
 * RFC 9457 problem responses as every service's REST API answers errors, and the log policy of a
 * refused request: each refusal (4xx) is one INFO line of logger {@code
 * dev.ordersaga.messaging.web.Problems} with the status, method, path and detail, every value from
 * the request cut and escaped ({@link LogSafe}); a server fault (500) is logged by {@link FaultLog}
 * (a stack trace at most once a minute per fault).
 */
public final class Problems {

  /** The problem type prefix of every service. */
  public static final String TYPE_PREFIX = "urn:order-saga:problem:";

  private static final Logger log = LoggerFactory.getLogger(Problems.class);

  private Problems() {}

  /** One thing wrong with a request: a body field path, a parameter or a header, and why. */
  public record FieldProblem(String field, String message) {}

  /**
   * A problem of the given status, typed {@code typePrefix + type}, with the request's path as its
   * instance (left out when the path is not a valid URI, rather than failing the error response).
   */
  public static ProblemDetail problem(
      HttpStatus status,
      String typePrefix,
      String type,
      String title,
      String detail,
      HttpServletRequest request) {
    ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
    problem.setType(URI.create(typePrefix + type));
    problem.setTitle(title);
    try {
      problem.setInstance(URI.create(request.getRequestURI()));
    } catch (IllegalArgumentException notAUri) {
      // leave instance out
    }
    return problem;
  }

  /**
   * A 4xx problem naming what was wrong: {@code errors: [{field, message}]}; the detail is the
   * first error when there is one, else a count.
   */
  public static ProblemDetail refusal(
      HttpStatus status,
      String type,
      String title,
      List<FieldProblem> errors,
      HttpServletRequest request) {
    String detail =
        errors.size() == 1
            ? errors.get(0).field() + " " + errors.get(0).message()
            : errors.size() + " fields are invalid";
    ProblemDetail problem = problem(status, TYPE_PREFIX, type, title, detail, request);
    problem.setProperty("errors", errors);
    return problem;
  }

  /**
   * An unexpected failure: logged here ({@link FaultLog}: one line, the stack trace at most once a
   * minute per fault), answered as a bare 500 problem that shows none of it.
   */
  public static ResponseEntity<ProblemDetail> internalError(
      String typePrefix, Exception failure, HttpServletRequest request) {
    FaultLog.SHARED.fault(
        log,
        "unexpected failure on "
            + LogSafe.text(request.getMethod())
            + " "
            + LogSafe.text(request.getRequestURI()),
        failure);
    return ResponseEntity.status(HttpStatus.INTERNAL_SERVER_ERROR)
        .contentType(MediaType.APPLICATION_PROBLEM_JSON)
        .body(
            problem(
                HttpStatus.INTERNAL_SERVER_ERROR,
                typePrefix,
                "internal-error",
                "Internal error",
                "The request failed on our side; it is logged",
                request));
  }

  /**
   * The store did not answer: logged as a fault ({@link FaultLog}), answered 503 with {@code
   * Retry-After: 5} and {@code detail}, which says what to do (for example to try again with the
   * same Idempotency-Key).
   */
  public static ResponseEntity<ProblemDetail> storeUnavailable(
      String detail, Exception failure, HttpServletRequest request) {
    FaultLog.SHARED.fault(
        log,
        "store failure on "
            + LogSafe.text(request.getMethod())
            + " "
            + LogSafe.text(request.getRequestURI()),
        failure);
    return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
        .header(HttpHeaders.RETRY_AFTER, "5")
        .contentType(MediaType.APPLICATION_PROBLEM_JSON)
        .body(
            problem(
                HttpStatus.SERVICE_UNAVAILABLE,
                TYPE_PREFIX,
                "store-unavailable",
                "Store unavailable",
                detail,
                request));
  }

  /**
   * The problem as a response with its status and {@code application/problem+json}; a 4xx is logged
   * as one line (see the class comment).
   */
  public static ResponseEntity<ProblemDetail> respond(ProblemDetail problem) {
    logRefusal(null, problem);
    return ResponseEntity.status(problem.getStatus())
        .contentType(MediaType.APPLICATION_PROBLEM_JSON)
        .body(problem);
  }

  /**
   * Writes the problem as the whole response, for filters and handlers outside Spring MVC; a 4xx is
   * logged as one line.
   */
  public static void write(
      ObjectMapper json,
      HttpServletRequest request,
      HttpServletResponse response,
      ProblemDetail problem,
      Map<String, String> headers)
      throws IOException {
    logRefusal(request, problem);
    response.setStatus(problem.getStatus());
    headers.forEach(response::setHeader);
    response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
    json.writeValue(response.getOutputStream(), problem);
  }

  /** The one line of a refused request (4xx); nothing for other statuses. */
  public static void logRefusal(HttpServletRequest request, ProblemDetail problem) {
    if (problem.getStatus() < 400 || problem.getStatus() >= 500 || !log.isInfoEnabled()) {
      return;
    }
    HttpServletRequest current = request;
    if (current == null
        && RequestContextHolder.getRequestAttributes()
            instanceof ServletRequestAttributes servlet) {
      current = servlet.getRequest();
    }
    String where =
        current != null
            ? LogSafe.text(current.getMethod()) + " " + LogSafe.text(current.getRequestURI())
            : LogSafe.text(problem.getInstance());
    log.info("refused {} {}: {}", problem.getStatus(), where, LogSafe.text(problem.getDetail()));
  }
}
