package dev.ordersaga.saga;

import com.mongodb.MongoException;
import dev.ordersaga.messaging.web.ApiExceptionHandler;
import dev.ordersaga.messaging.web.Problems;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * Every error of saga-engine's HTTP APIs ({@code /ops}, {@code /analytics}, {@code /sagas}, the
 * console's paths) as {@code application/problem+json}, in one place:
 *
 * <ul>
 *   <li>bad input (messaging's {@code BadRequestException}): 400 with {@code errors: [{field,
 *       message}]}; other refusals (messaging's {@code ApiException}): their status and properties;
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

  @ExceptionHandler(MongoException.class)
  ResponseEntity<ProblemDetail> storeUnavailable(
      MongoException e, HttpServletRequest request, HttpServletResponse response) {
    if (response.isCommitted()) {
      throw e;
    }
    return Problems.storeUnavailable("The store did not answer; try again shortly", e, request);
  }
}
