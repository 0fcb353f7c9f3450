package dev.ordersaga.order.shopper;

import dev.ordersaga.messaging.web.ApiExceptionHandler;
import dev.ordersaga.messaging.web.Problems;
import dev.ordersaga.order.cancelling.OrderNotCancellableException;
import dev.ordersaga.order.orders.OrderNotFoundException;
import dev.ordersaga.order.placing.FieldError;
import dev.ordersaga.order.placing.IdempotencyKeyReusedException;
import dev.ordersaga.order.placing.InvalidRequestException;
import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * Every error of the API as {@code application/problem+json} (RFC 9457): {@code type}, {@code
 * title}, {@code status}, {@code detail}, {@code instance}, and for 400 an {@code errors} array of
 * {@code {field, message}}. Spring MVC's own errors (unknown path 404, 405, 406, 415) come out the
 * same way, and a refused request is logged as one line ({@link ApiExceptionHandler}). An
 * unexpected failure is a 500 whose body says nothing of the code; the stack trace goes to the log
 * only, at most once a minute per fault.
 */
@RestControllerAdvice
class ShopperApiProblems extends ApiExceptionHandler {

  private static final Logger log = LoggerFactory.getLogger(ShopperApiProblems.class);
  private static final String TYPE_PREFIX = Problems.TYPE_PREFIX;

  @ExceptionHandler(InvalidRequestException.class)
  ResponseEntity<ProblemDetail> invalid(InvalidRequestException e, HttpServletRequest request) {
    List<FieldError> errors = e.errors();
    ProblemDetail problem =
        problem(
            HttpStatus.BAD_REQUEST,
            "invalid-request",
            "Invalid request",
            errors.size() == 1
                ? errors.get(0).field() + " " + errors.get(0).message()
                : errors.size() + " fields are invalid",
            request);
    problem.setProperty("errors", errors);
    return respond(problem);
  }

  @ExceptionHandler(BodyTooLargeException.class)
  ResponseEntity<ProblemDetail> tooLarge(BodyTooLargeException e, HttpServletRequest request) {
    return respond(
        problem(
            HttpStatus.PAYLOAD_TOO_LARGE,
            "body-too-large",
            "Request body too large",
            e.getMessage(),
            request));
  }

  @ExceptionHandler(UnsupportedBodyTypeException.class)
  ResponseEntity<ProblemDetail> notJson(
      UnsupportedBodyTypeException e, HttpServletRequest request) {
    ProblemDetail problem =
        problem(
            HttpStatus.UNSUPPORTED_MEDIA_TYPE,
            "unsupported-media-type",
            "Unsupported media type",
            e.getMessage(),
            request);
    problem.setProperty("errors", List.of(new FieldError(HttpHeaders.CONTENT_TYPE, e.problem())));
    return respond(problem);
  }

  @ExceptionHandler(NotYourCustomerException.class)
  ResponseEntity<ProblemDetail> notYours(NotYourCustomerException e, HttpServletRequest request) {
    ProblemDetail problem =
        problem(
            HttpStatus.FORBIDDEN,
            "customer-not-yours",
            "Not your customer id",
            e.getMessage(),
            request);
    problem.setProperty("errors", List.of(new FieldError("customerId", e.fieldMessage())));
    return respond(problem);
  }

  @ExceptionHandler(OrderNotFoundException.class)
  ResponseEntity<ProblemDetail> notFound(OrderNotFoundException e, HttpServletRequest request) {
    ProblemDetail problem =
        problem(
            HttpStatus.NOT_FOUND,
            "order-not-found",
            "Order not found",
            "There is no order " + e.orderId(),
            request);
    problem.setProperty("orderId", e.orderId());
    return respond(problem);
  }

  @ExceptionHandler(IdempotencyKeyReusedException.class)
  ResponseEntity<ProblemDetail> keyReused(
      IdempotencyKeyReusedException e, HttpServletRequest request) {
    return respond(
        problem(
            HttpStatus.CONFLICT,
            "idempotency-key-reused",
            "Idempotency-Key reused",
            e.getMessage(),
            request));
  }

  @ExceptionHandler(OrderNotCancellableException.class)
  ResponseEntity<ProblemDetail> notCancellable(
      OrderNotCancellableException e, HttpServletRequest request) {
    ProblemDetail problem =
        problem(
            HttpStatus.CONFLICT,
            "order-not-cancellable",
            "Order can no longer be cancelled",
            e.getMessage(),
            request);
    problem.setProperty("orderId", e.order().orderId());
    problem.setProperty("orderStatus", e.order().status().name());
    return respond(problem);
  }

  @Override
  protected String storeUnavailableDetail() {
    return "The orders store did not answer; try again shortly (with the same Idempotency-Key)";
  }

  private static ProblemDetail problem(
      HttpStatus status, String type, String title, String detail, HttpServletRequest request) {
    return Problems.problem(status, TYPE_PREFIX, type, title, detail, request);
  }

  private static ResponseEntity<ProblemDetail> respond(ProblemDetail problem) {
    return Problems.respond(problem);
  }
}
