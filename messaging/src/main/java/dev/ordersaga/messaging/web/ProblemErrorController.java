package dev.ordersaga.messaging.web;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.web.servlet.error.ErrorController;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.RequestMapping;

/**
 * The {@code /error} page of every service, instead of Spring Boot's: whatever reached it (a {@code
 * sendError} of Tomcat or of a filter, an exception that escaped Spring MVC) is answered as
 * problem+json with the status and its standard title, and never a stack trace, an exception
 * message or a path from the request in the body.
 */
@Controller
@RequestMapping("${server.error.path:${error.path:/error}}")
public class ProblemErrorController implements ErrorController {

  private static final Logger log = LoggerFactory.getLogger(ProblemErrorController.class);

  @RequestMapping(produces = {})
  ResponseEntity<ProblemDetail> error(HttpServletRequest request) {
    Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
    HttpStatus status =
        code instanceof Integer number && HttpStatus.resolve(number) != null
            ? HttpStatus.valueOf(number)
            : HttpStatus.INTERNAL_SERVER_ERROR;
    if (status.value() < 400) {
      status = HttpStatus.INTERNAL_SERVER_ERROR;
    }
    Object failure = request.getAttribute(RequestDispatcher.ERROR_EXCEPTION);
    String path = String.valueOf(request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI));
    String method = request.getMethod();
    if (failure instanceof Throwable thrown && status.is5xxServerError()) {
      FaultLog.SHARED.fault(
          log, "unexpected failure on " + LogSafe.text(method) + " " + LogSafe.text(path), thrown);
    }
    ProblemDetail problem =
        ProblemDetail.forStatusAndDetail(
            status,
            status.is5xxServerError()
                ? "The request failed on our side or cannot be served; it is logged"
                : "The request was refused: " + status.getReasonPhrase());
    problem.setType(java.net.URI.create(Problems.TYPE_PREFIX + status.value()));
    problem.setTitle(status.getReasonPhrase());
    if (status.is4xxClientError()) {
      log.info(
          "refused {} {} {}: {}",
          status.value(),
          LogSafe.text(method),
          LogSafe.text(path),
          status.getReasonPhrase());
    }
    return ResponseEntity.status(status)
        .contentType(MediaType.APPLICATION_PROBLEM_JSON)
        .body(problem);
  }
}
