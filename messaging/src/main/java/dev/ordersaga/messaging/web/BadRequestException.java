package dev.ordersaga.messaging.web;

import dev.ordersaga.messaging.web.Problems.FieldProblem;
import java.util.List;

/**
 * A request that cannot be taken, such as a body {@link JsonBodies} refuses; {@link
 * ApiExceptionHandler} answers it with a 400 naming each field: {@code body} for the whole body, a
 * body field's JSON path such as {@code items[0].sku}, a query parameter, a path part or a header.
 * Every HTTP API of the system refuses bad input this way, so every 400 has one shape: {@code
 * errors: [{field, message}]}.
 */
public final class BadRequestException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final transient List<FieldProblem> problems;

  public BadRequestException(String field, String message) {
    this(List.of(new FieldProblem(field, message)));
  }

  public BadRequestException(List<FieldProblem> problems) {
    super(problems.get(0).field() + " " + problems.get(0).message());
    this.problems = List.copyOf(problems);
  }

  public List<FieldProblem> problems() {
    return problems;
  }
}
