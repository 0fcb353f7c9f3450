package dev.ordersaga.order.placing;

import java.util.List;

/** The request cannot be taken as it is; answered 400 with every {@link FieldError} found. */
public final class InvalidRequestException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final transient List<FieldError> errors;

  public InvalidRequestException(List<FieldError> errors) {
    super(describe(errors));
    this.errors = List.copyOf(errors);
  }

  public InvalidRequestException(String field, String message) {
    this(List.of(new FieldError(field, message)));
  }

  public List<FieldError> errors() {
    return errors;
  }

  private static String describe(List<FieldError> errors) {
    StringBuilder text = new StringBuilder();
    for (FieldError error : errors) {
      if (!text.isEmpty()) {
        text.append("; ");
      }
      text.append(error.field()).append(' ').append(error.message());
    }
    return text.toString();
  }
}
