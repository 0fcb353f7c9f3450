package dev.ordersaga.messaging.web;

import dev.ordersaga.messaging.web.Problems.FieldProblem;
import java.util.List;

/**
 * A request body that {@link JsonBodies} cannot take; each API answers it with a 400 naming each
 * field: {@code body} for the whole body, else the field's JSON path such as {@code items[0].sku}.
 */
public final class InvalidBodyException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final transient List<FieldProblem> problems;

  InvalidBodyException(String field, String message) {
    this(List.of(new FieldProblem(field, message)));
  }

  InvalidBodyException(List<FieldProblem> problems) {
    super(problems.get(0).field() + " " + problems.get(0).message());
    this.problems = List.copyOf(problems);
  }

  public List<FieldProblem> problems() {
    return problems;
  }
}
