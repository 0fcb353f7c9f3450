package dev.ordersaga.messaging.web;

import com.mongodb.MongoException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.net.URI;
import java.util.List;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.security.web.firewall.RequestRejectedException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.context.request.ServletWebRequest;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * What every service's REST error handler has in common; each service's {@code
 * RestControllerAdvice} extends it and adds its own exceptions (a service without one gets {@link
 * DefaultApiProblems}).
 *
 * <ul>
 *   <li>Spring MVC's own errors (unknown path 404, 405, 406, 415, a missing or mistyped parameter)
 *       as problem+json typed {@code urn:order-saga:problem:<status>}, each logged as one line;
 *   <li>bad input ({@link BadRequestException}: a body refused by {@link JsonBodies}, a query
 *       parameter, a header): 400 with {@code errors: [{field, message}]};
 *   <li>any other refusal ({@link ApiException}: 404, 409...): its status, title and properties;
 *   <li>a store that does not answer ({@code MongoException}): 503 with {@code Retry-After: 5};
 *   <li>a request Spring Security's firewall refuses when it is read (a parameter name with a
 *       control character): 400;
 *   <li>anything else: a bare 500 (the server's fault, logged by {@link FaultLog}); if the answer
 *       has started already (a stream), the failure is rethrown so the connection is cut.
 * </ul>
 */
public abstract class ApiExceptionHandler extends ResponseEntityExceptionHandler {

  @ExceptionHandler(BadRequestException.class)
  protected ResponseEntity<ProblemDetail> invalidBody(
      BadRequestException e, HttpServletRequest request, HttpServletResponse response) {
    if (response.isCommitted()) {
      throw e;
    }
    return Problems.respond(
        Problems.refusal(
            HttpStatus.BAD_REQUEST, "invalid-request", "Invalid request", e.problems(), request));
  }

  @ExceptionHandler(ApiException.class)
  protected ResponseEntity<ProblemDetail> apiProblem(
      ApiException e, HttpServletRequest request, HttpServletResponse response) {
    if (response.isCommitted()) {
      throw e;
    }
    ProblemDetail problem =
        Problems.problem(
            e.status(), Problems.TYPE_PREFIX, e.type(), e.title(), e.getMessage(), request);
    e.properties().forEach(problem::setProperty);
    return Problems.respond(problem);
  }

  /**
   * The store did not answer: 503 with {@code Retry-After: 5} ({@link Problems#storeUnavailable});
   * rethrown once the answer has started (a stream is cut rather than ending as if complete).
   */
  @ExceptionHandler(MongoException.class)
  protected ResponseEntity<ProblemDetail> storeUnavailable(
      MongoException e, HttpServletRequest request, HttpServletResponse response) {
    if (response.isCommitted()) {
      throw e;
    }
    return Problems.storeUnavailable(storeUnavailableDetail(), e, request);
  }

  /** What a 503 for a store that did not answer tells the client to do. */
  protected String storeUnavailableDetail() {
    return "The store did not answer; try again shortly";
  }

  @ExceptionHandler(RequestRejectedException.class)
  protected ResponseEntity<ProblemDetail> rejected(
      RequestRejectedException e, HttpServletRequest request) {
    return Problems.respond(
        Problems.refusal(
            HttpStatus.BAD_REQUEST,
            "invalid-request",
            "Invalid request",
            List.of(
                new Problems.FieldProblem(
                    "query",
                    "a parameter name or value holds a character that is not allowed (a control"
                        + " character)")),
            request));
  }

  @ExceptionHandler(Exception.class)
  protected ResponseEntity<ProblemDetail> unexpected(
      Exception e, HttpServletRequest request, HttpServletResponse response) throws Exception {
    if (response.isCommitted()) {
      throw e;
    }
    return Problems.internalError(Problems.TYPE_PREFIX, e, request);
  }

  /** As Spring MVC answers it, without its second log line (logger {@code PageNotFound}). */
  @Override
  protected ResponseEntity<Object> handleHttpRequestMethodNotSupported(
      HttpRequestMethodNotSupportedException ex,
      HttpHeaders headers,
      HttpStatusCode status,
      WebRequest request) {
    return handleExceptionInternal(ex, null, headers, status, request);
  }

  @Override
  protected ResponseEntity<Object> handleExceptionInternal(
      Exception ex,
      Object body,
      HttpHeaders headers,
      HttpStatusCode statusCode,
      WebRequest request) {
    ResponseEntity<Object> answer =
        super.handleExceptionInternal(ex, body, headers, statusCode, request);
    if (answer != null && answer.getBody() instanceof ProblemDetail problem) {
      if (problem.getType() == null || "about:blank".equals(problem.getType().toString())) {
        problem.setType(URI.create(Problems.TYPE_PREFIX + problem.getStatus()));
      }
      HttpServletRequest servletRequest =
          request instanceof ServletWebRequest servlet ? servlet.getRequest() : null;
      Problems.logRefusal(servletRequest, problem);
    }
    return answer;
  }
}
