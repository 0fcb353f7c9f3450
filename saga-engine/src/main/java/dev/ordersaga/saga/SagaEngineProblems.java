package dev.ordersaga.saga;

import com.mongodb.MongoException;
import dev.ordersaga.messaging.web.ApiExceptionHandler;
import dev.ordersaga.messaging.web.Problems;
import dev.ordersaga.saga.analytics.InvalidParameterException;
import dev.ordersaga.saga.ops.OpsException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.net.URI;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * Every error of saga-engine's HTTP APIs ({@code /ops}, {@code /analytics}, {@code /sagas}, the
 * console's paths) as {@code application/problem+json}, in one place:
 *
 * <ul>
 *   <li>the operator API's {@link OpsException}: its status; a 400 names its {@code field};
 *   <li>the analyst API's {@link InvalidParameterException}: 400 with {@code errors: [{parameter,
 *       message}]};
 *   <li>a store that does not answer: 503 with {@code Retry-After: 5};
 *   <li>Spring MVC's own errors, a firewall refusal and an unexpected failure as every service
 *       answers them ({@link ApiExceptionHandler}), each refusal logged as one line.
 * </ul>
 *
 * Once an export has started writing, a failure cannot become a problem response: it is rethrown,
 * so the connection is cut rather than the export ending as if it were complete.
 */
@RestControllerAdvice
public class SagaEngineProblems extends ApiExceptionHandler {

  private static final Logger log = LoggerFactory.getLogger(SagaEngineProblems.class);

  @ExceptionHandler(OpsException.class)
  ResponseEntity<ProblemDetail> operatorRequest(OpsException e, HttpServletRequest request) {
    ProblemDetail problem =
        Problems.problem(
            e.status(), Problems.TYPE_PREFIX, type(e.title()), e.title(), e.getMessage(), request);
    e.properties().forEach(problem::setProperty);
    return Problems.respond(problem);
  }

  @ExceptionHandler(InvalidParameterException.class)
  ResponseEntity<ProblemDetail> invalidParameter(
      InvalidParameterException e, HttpServletRequest request, HttpServletResponse response) {
    if (response.isCommitted()) {
      throw e;
    }
    ProblemDetail problem =
        Problems.problem(
            HttpStatus.BAD_REQUEST,
            Problems.TYPE_PREFIX,
            "invalid-parameter",
            "Invalid query parameter",
            e.getMessage(),
            request);
    problem.setProperty("errors", e.errors());
    return Problems.respond(problem);
  }

  @ExceptionHandler(MongoException.class)
  ResponseEntity<ProblemDetail> storeUnavailable(
      MongoException e, HttpServletRequest request, HttpServletResponse response) {
    if (response.isCommitted()) {
      throw e;
    }
    return Problems.storeUnavailable("The store did not answer; try again shortly", e, request);
  }

  /** A problem a controller answers itself (an operator action not found or refused). */
  public static ResponseEntity<ProblemDetail> problem(
      HttpStatus status, String title, String detail, Map<String, Object> properties) {
    ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
    problem.setType(URI.create(Problems.TYPE_PREFIX + type(title)));
    problem.setTitle(title);
    properties.forEach(problem::setProperty);
    return Problems.respond(problem);
  }

  private static String type(String title) {
    return title.toLowerCase(Locale.ROOT).replace(' ', '-');
  }
}
