package dev.ordersaga.messaging.web;

import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;

/** RFC 9457 problem responses as every service's REST API answers errors. */
public final class Problems {

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

  /** The problem as a response with its status and {@code application/problem+json}. */
  public static ResponseEntity<ProblemDetail> respond(ProblemDetail problem) {
    return ResponseEntity.status(problem.getStatus())
        .contentType(MediaType.APPLICATION_PROBLEM_JSON)
        .body(problem);
  }
}
