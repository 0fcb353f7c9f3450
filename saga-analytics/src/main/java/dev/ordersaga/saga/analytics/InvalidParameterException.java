package dev.ordersaga.saga.analytics;

import java.util.List;

/** A request's query parameters are wrong; each error names its parameter. Answered with 400. */
public class InvalidParameterException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /** One wrong parameter and what is wrong with it. */
  public record ParameterError(String parameter, String message) {}

  private final transient List<ParameterError> errors;

  public InvalidParameterException(String parameter, String message) {
    this(List.of(new ParameterError(parameter, message)));
  }

  public InvalidParameterException(List<ParameterError> errors) {
    this(
        errors,
        errors.size() == 1
            ? errors.get(0).parameter() + ": " + errors.get(0).message()
            : "invalid parameters: "
                + String.join(", ", errors.stream().map(ParameterError::parameter).toList()));
  }

  /** Several errors summed up in one detail. */
  public InvalidParameterException(List<ParameterError> errors, String detail) {
    super(detail);
    this.errors = List.copyOf(errors);
  }

  public List<ParameterError> errors() {
    return errors;
  }
}
