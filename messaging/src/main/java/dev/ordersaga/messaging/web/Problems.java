package dev.ordersaga.messaging.web;

import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;

/** RFC 9457 problem responses as every service's REST API answers errors. */
public final class Problems {

  private static final Logger log = LoggerFactory.getLogger(Problems.class);

  private Problems() {}

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
   * An unexpected failure: logged with its stack trace here, answered as a bare 500 problem that
   * shows none of it.
   */
  public static ResponseEntity<ProblemDetail> internalError(
      String typePrefix, Exception failure, HttpServletRequest request) {
    log.error("unexpected failure on {} {}", request.getMethod(), request.getRequestURI(), failure);
    return respond(
        problem(
            HttpStatus.INTERNAL_SERVER_ERROR,
            typePrefix,
            "internal-error",
            "Internal error",
            "The request failed on our side; it is logged",
            request));
  }

  /** The problem as a response with its status and {@code application/problem+json}. */
  public static ResponseEntity<ProblemDetail> respond(ProblemDetail problem) {
    return ResponseEntity.status(problem.getStatus())
        .contentType(MediaType.APPLICATION_PROBLEM_JSON)
        .body(problem);
  }
}
