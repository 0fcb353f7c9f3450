package dev.ordersaga.saga.analytics;

import com.mongodb.MongoException;
import dev.ordersaga.messaging.web.ApiExceptionHandler;
import dev.ordersaga.messaging.web.FaultLog;
import dev.ordersaga.messaging.web.LogSafe;
import dev.ordersaga.messaging.web.Problems;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * Errors of the analyst API as {@code application/problem+json} (RFC 9457). A wrong parameter is a
 * 400 with {@code errors: [{parameter, message}]}; Spring MVC's own errors (406, 405...) keep their
 * status; a store that does not answer is a 503; anything else a 500 that says nothing of the code
 * (the stack trace goes to the log, at most once a minute per fault: {@link ApiExceptionHandler}).
 * Once an export has started writing, a failure cannot become a problem response: it is rethrown,
 * so the connection is cut rather than the export ending as if it were complete.
 */
@RestControllerAdvice(assignableTypes = AnalyticsController.class)
@Order(Ordered.HIGHEST_PRECEDENCE)
class AnalyticsProblems extends ApiExceptionHandler {

  private static final Logger log = LoggerFactory.getLogger(AnalyticsProblems.class);
  private static final String TYPE_PREFIX = Problems.TYPE_PREFIX;

  @ExceptionHandler(InvalidParameterException.class)
  ResponseEntity<ProblemDetail> invalid(
      InvalidParameterException e, HttpServletRequest request, HttpServletResponse response)
      throws InvalidParameterException {
    if (response.isCommitted()) {
      throw e;
    }
    ProblemDetail problem =
        problem(
            HttpStatus.BAD_REQUEST,
            "invalid-parameter",
            "Invalid query parameter",
            e.getMessage(),
            request);
    problem.setProperty("errors", e.errors());
    return respond(problem);
  }

  @ExceptionHandler(MongoException.class)
  ResponseEntity<ProblemDetail> storeUnavailable(
      MongoException e, HttpServletRequest request, HttpServletResponse response) {
    if (response.isCommitted()) {
      throw e;
    }
    FaultLog.SHARED.fault(
        log,
        "store failure on "
            + LogSafe.text(request.getMethod())
            + " "
            + LogSafe.text(request.getRequestURI()),
        e);
    ProblemDetail problem =
        problem(
            HttpStatus.SERVICE_UNAVAILABLE,
            "store-unavailable",
            "Store unavailable",
            "The event store did not answer; try again shortly",
            request);
    return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
        .header(HttpHeaders.RETRY_AFTER, "5")
        .contentType(MediaType.APPLICATION_PROBLEM_JSON)
        .body(problem);
  }

  private static ProblemDetail problem(
      HttpStatus status, String type, String title, String detail, HttpServletRequest request) {
    return Problems.problem(status, TYPE_PREFIX, type, title, detail, request);
  }

  private static ResponseEntity<ProblemDetail> respond(ProblemDetail problem) {
    return Problems.respond(problem);
  }
}
