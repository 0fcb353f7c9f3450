package dev.ordersaga.saga.ops;

import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/** Turns the operator API's failures into {@code application/problem+json}. */
@RestControllerAdvice(basePackageClasses = OpsProblems.class)
class OpsProblems {

  @ExceptionHandler(OpsException.class)
  ResponseEntity<ProblemDetail> on(OpsException e) {
    return problem(e.status(), e.title(), e.getMessage(), e.properties());
  }

  static ResponseEntity<ProblemDetail> problem(
      HttpStatus status, String title, String detail, Map<String, Object> properties) {
    ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
    problem.setTitle(title);
    properties.forEach(problem::setProperty);
    return ResponseEntity.status(status).body(problem);
  }
}
