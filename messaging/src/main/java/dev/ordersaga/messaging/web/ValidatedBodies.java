package dev.ordersaga.messaging.web;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.exc.InputCoercionException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.ordersaga.messaging.web.Problems.FieldProblem;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ElementKind;
import jakarta.validation.Path;
import jakarta.validation.Validation;
import jakarta.validation.Validator;
import jakarta.validation.constraints.NotNull;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.temporal.Temporal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.hibernate.validator.messageinterpolation.ParameterMessageInterpolator;

/**
 * A JSON body read into a record and checked by the Bean Validation annotations on it, every
 * problem told at once as the {@code errors[]} of the one 400 shape, each named by the JSON path
 * the client sent ({@code items[2].quantity}, {@code shippingAddress.postalCode}).
 *
 * <p>Two steps. Binding (Jackson, strict): an unknown field is "is not a known field"; a value of
 * the wrong JSON type (a number or an object where a string is expected, a string or a fraction
 * where a whole number is, an array where an object is) is refused, never coerced. Each such
 * problem is noted, the value taken out, and the body bound again, so that one wrong type does not
 * hide the others. Then validation ({@link #problems}): every constraint violation of the bound
 * record, except on a field whose value binding refused already; a field that is missing gets only
 * its {@code @NotNull} ({@value #REQUIRED}), not also its {@code @NotBlank} or the like.
 *
 * <p>The body comes as {@link JsonBodies#read} gives it (strict UTF-8 and JSON, valid Unicode).
 */
public final class ValidatedBodies {

  /** The message of a missing value: {@code @NotNull(message = ValidatedBodies.REQUIRED)}. */
  public static final String REQUIRED = "is required";

  /** The message of a blank text: {@code @NotBlank(message = ValidatedBodies.NOT_BLANK)}. */
  public static final String NOT_BLANK = "must not be blank";

  /** The message of a field that is not in the record. */
  public static final String UNKNOWN_FIELD = "is not a known field";

  /** The most values of the wrong type taken out of one body before giving up. */
  private static final int MAX_BINDING_PROBLEMS = 20;

  private static final JsonMapper STRICT = strictMapper();

  private static final Validator VALIDATOR =
      Validation.byDefaultProvider()
          .configure()
          .messageInterpolator(new ParameterMessageInterpolator())
          .buildValidatorFactory()
          .getValidator();

  private ValidatedBodies() {}

  /**
   * The body as a {@code type}, bound strictly and valid.
   *
   * @throws BadRequestException naming every field that is wrong
   */
  public static <T> T read(JsonNode body, Class<T> type) {
    return read(body, type, UnaryOperator.identity());
  }

  /**
   * The body as a {@code type}, bound strictly, completed by {@code complete} (such as a default
   * taken from the signed-in caller) and then validated.
   *
   * @throws BadRequestException naming every field that is wrong
   */
  public static <T> T read(JsonNode body, Class<T> type, UnaryOperator<T> complete) {
    if (body == null || !body.isObject()) {
      throw new BadRequestException("body", "must be a JSON object");
    }
    List<FieldProblem> problems = new ArrayList<>();
    T value = bind((ObjectNode) body.deepCopy(), type, problems);
    if (value != null) {
      value = complete.apply(value);
      Set<String> refused = new HashSet<>();
      problems.forEach(problem -> refused.add(problem.field()));
      problems(VALIDATOR.validate(value)).stream()
          .filter(problem -> !refused.contains(problem.field()))
          .forEach(problems::add);
    }
    if (!problems.isEmpty()) {
      throw new BadRequestException(problems);
    }
    return value;
  }

  /**
   * The {@code errors[]} entries of constraint violations: one per violation, named by JSON path,
   * sorted by path and message; a field with a {@code @NotNull} violation gets that one only.
   */
  public static <T> List<FieldProblem> problems(Set<ConstraintViolation<T>> violations) {
    Set<String> missing = new HashSet<>();
    for (ConstraintViolation<T> violation : violations) {
      if (violation.getConstraintDescriptor().getAnnotation() instanceof NotNull) {
        missing.add(jsonPath(violation.getPropertyPath()));
      }
    }
    return violations.stream()
        .filter(
            violation ->
                violation.getConstraintDescriptor().getAnnotation() instanceof NotNull
                    || !missing.contains(jsonPath(violation.getPropertyPath())))
        .map(
            violation ->
                new FieldProblem(jsonPath(violation.getPropertyPath()), violation.getMessage()))
        .distinct()
        .sorted(Comparator.comparing(FieldProblem::field).thenComparing(FieldProblem::message))
        .toList();
  }

  /**
   * A violation's property path as the JSON path the client wrote: {@code items[2].quantity}; the
   * record itself (a class-level constraint with no node added) is {@code body}.
   */
  public static String jsonPath(Path path) {
    StringBuilder text = new StringBuilder();
    for (Path.Node node : path) {
      if (node.isInIterable()) {
        Object at = node.getIndex() != null ? node.getIndex() : node.getKey();
        text.append('[').append(at).append(']');
      }
      if (node.getName() != null
          && node.getKind() != ElementKind.CONTAINER_ELEMENT
          && node.getKind() != ElementKind.BEAN) {
        if (!text.isEmpty()) {
          text.append('.');
        }
        text.append(node.getName());
      }
    }
    return text.isEmpty() ? "body" : text.toString();
  }

  /**
   * Binds the body, noting each field of the wrong type or unknown and binding again without it;
   * {@code null} when the body cannot be bound at all.
   */
  private static <T> T bind(ObjectNode body, Class<T> type, List<FieldProblem> problems) {
    Set<String> seen = new HashSet<>();
    for (int attempt = 0; attempt <= MAX_BINDING_PROBLEMS; attempt++) {
      try {
        return STRICT.treeToValue(body, type);
      } catch (JsonMappingException e) {
        String field = jsonPath(e.getPath());
        if (field.isEmpty() || !seen.add(field) || !takeOut(body, e)) {
          problems.add(new FieldProblem(field.isEmpty() ? "body" : field, message(e)));
          return null;
        }
        problems.add(new FieldProblem(field, message(e)));
      } catch (JacksonException e) {
        problems.add(new FieldProblem("body", "cannot be read into its fields"));
        return null;
      }
    }
    return null;
  }

  /** Removes an unknown field, or sets a value of the wrong type to null; false if it cannot. */
  private static boolean takeOut(ObjectNode body, JsonMappingException e) {
    List<JsonMappingException.Reference> path = e.getPath();
    JsonNode parent = body;
    for (JsonMappingException.Reference reference : path.subList(0, path.size() - 1)) {
      parent =
          reference.getFieldName() != null
              ? parent.get(reference.getFieldName())
              : parent.get(reference.getIndex());
      if (parent == null) {
        return false;
      }
    }
    JsonMappingException.Reference last = path.get(path.size() - 1);
    if (parent instanceof ObjectNode object && last.getFieldName() != null) {
      if (e instanceof UnrecognizedPropertyException) {
        object.remove(last.getFieldName());
      } else {
        object.set(last.getFieldName(), NullNode.getInstance());
      }
      return true;
    }
    if (parent instanceof ArrayNode array && last.getIndex() >= 0) {
      array.set(last.getIndex(), NullNode.getInstance());
      return true;
    }
    return false;
  }

  private static String jsonPath(List<JsonMappingException.Reference> path) {
    StringBuilder text = new StringBuilder();
    for (JsonMappingException.Reference reference : path) {
      if (reference.getFieldName() != null) {
        if (!text.isEmpty()) {
          text.append('.');
        }
        text.append(reference.getFieldName());
      } else if (reference.getIndex() >= 0) {
        text.append('[').append(reference.getIndex()).append(']');
      }
    }
    return LogSafe.text(text.toString());
  }

  private static String message(JsonMappingException e) {
    if (e instanceof UnrecognizedPropertyException) {
      return UNKNOWN_FIELD;
    }
    if (e instanceof MismatchedInputException mismatched && mismatched.getTargetType() != null) {
      return "must be " + describe(mismatched.getTargetType());
    }
    if (e.getCause() instanceof InputCoercionException) {
      return "is a number out of range";
    }
    return "has a value of the wrong type";
  }

  /** What a value of this type looks like in JSON, for a message ("must be a string"). */
  public static String describe(Class<?> type) {
    if (type == String.class) {
      return "a string";
    }
    if (type == Integer.class
        || type == int.class
        || type == Long.class
        || type == long.class
        || type == BigInteger.class) {
      return "a whole number";
    }
    if (type == BigDecimal.class) {
      return "a decimal number such as 12.50 (a JSON number or string)";
    }
    if (type == Boolean.class || type == boolean.class) {
      return "true or false";
    }
    if (type.isEnum()) {
      return "one of " + Arrays.toString(type.getEnumConstants());
    }
    if (Collection.class.isAssignableFrom(type) || type.isArray()) {
      return "an array";
    }
    if (Temporal.class.isAssignableFrom(type)) {
      return "an ISO-8601 date-time";
    }
    if (Number.class.isAssignableFrom(type)) {
      return "a number";
    }
    if (Map.class.isAssignableFrom(type) || JsonNode.class.isAssignableFrom(type)) {
      return "a JSON value";
    }
    return "a JSON object";
  }

  /**
   * A new mapper that binds strictly, as every API body is bound here: an unknown field, a null for
   * a primitive, a number for an enum, or a value of another JSON type (a number for a text, a text
   * for a number or a boolean, a fraction for a whole number) is refused, never coerced or ignored;
   * fractions are read as {@code BigDecimal}. For a caller that binds in its own way (saga-ops'
   * resume input).
   */
  public static JsonMapper strictMapper() {
    JsonMapper mapper =
        JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .build();
    for (CoercionInputShape scalar :
        List.of(CoercionInputShape.Integer, CoercionInputShape.Float, CoercionInputShape.Boolean)) {
      mapper.coercionConfigFor(LogicalType.Textual).setCoercion(scalar, CoercionAction.Fail);
    }
    mapper
        .coercionConfigFor(LogicalType.Integer)
        .setCoercion(CoercionInputShape.String, CoercionAction.Fail)
        .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
        .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
    mapper
        .coercionConfigFor(LogicalType.Boolean)
        .setCoercion(CoercionInputShape.String, CoercionAction.Fail)
        .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail);
    mapper
        .coercionConfigFor(LogicalType.Float)
        .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
    return mapper;
  }
}
