package dev.ordersaga.saga.ops;

import dev.ordersaga.messaging.web.ApiExceptionHandler;
import dev.ordersaga.messaging.web.Problems;
import dev.ordersaga.saga.api.SagaController;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import java.util.Locale;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * The errors of the operator API ({@code /ops}) and of {@code /sagas} as {@code
 * application/problem+json}: an {@link OpsException} with its status (a 400 names its {@code
 * field}); Spring MVC's own errors, a firewall refusal and an unexpected failure as every service
 * answers them ({@link ApiExceptionHandler}), each refusal logged as one line.
 */
@RestControllerAdvice(basePackageClasses = {OpsProblems.class, SagaController.class})
class OpsProblems extends ApiExceptionHandler {

  @ExceptionHandler(OpsException.class)
  ResponseEntity<ProblemDetail> on(OpsException e, HttpServletRequest request) {
    ProblemDetail problem =
        Problems.problem(
            e.status(),
            Problems.TYPE_PREFIX,
            e.title().toLowerCase(Locale.ROOT).replace(' ', '-'),
            e.title(),
            e.getMessage(),
            request);
    e.properties().forEach(problem::setProperty);
    return Problems.respond(problem);
  }

  static ResponseEntity<ProblemDetail> problem(
      HttpStatus status, String title, String detail, Map<String, Object> properties) {
    ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
    problem.setType(
        URI.create(Problems.TYPE_PREFIX + title.toLowerCase(Locale.ROOT).replace(' ', '-')));
    problem.setTitle(title);
    properties.forEach(problem::setProperty);
    return Problems.respond(problem);
  }
}
