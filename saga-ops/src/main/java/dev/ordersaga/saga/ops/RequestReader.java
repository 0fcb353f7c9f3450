package dev.ordersaga.saga.ops;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.ordersaga.messaging.web.BadRequestException;
import dev.ordersaga.messaging.web.JsonBodies;
import dev.ordersaga.messaging.web.Problems;
import dev.ordersaga.messaging.web.ValidatedBodies;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Reads the operator API's JSON bodies. A request body is read strictly as every API reads it
 * ({@link JsonBodies}: strict UTF-8 and JSON, no duplicate keys or trailing content, at most 32
 * levels deep) and then bound and checked by {@link ValidatedBodies}: the request record's Bean
 * Validation annotations, and Jackson's strict binding (an unknown field or a value of the wrong
 * JSON type is refused, never coerced or ignored), every problem told at once.
 *
 * <p>A resumed step's corrected input is the one hand path left ({@link #value}): it is decoded
 * into a message contract record, whose constructor checks its data and throws. {@link
 * ValidatedBodies} reports such a record's refusal as a value of the wrong type and then, having
 * taken the value out, the enclosing record's refusal too; here the constructor's own message is
 * told, once, at the field it names.
 */
final class RequestReader {

  static final int MAX_BODY_BYTES = 64 * 1024;

  private final JsonMapper mapper;

  RequestReader() {
    mapper = ValidatedBodies.strictMapper();
  }

  /**
   * Reads a request body, which must be one JSON object, into {@code type}, a record whose Bean
   * Validation annotations hold the fixed rules.
   *
   * @throws BadRequestException naming every field that is wrong
   */
  <T> T body(byte[] body, Class<T> type) {
    if (body == null || body.length == 0) {
      throw new BadRequestException("body", "a JSON object is required");
    }
    if (body.length > MAX_BODY_BYTES) {
      throw new BadRequestException("body", "is larger than " + MAX_BODY_BYTES + " bytes");
    }
    JsonNode tree;
    try {
      tree = JsonBodies.read(body);
    } catch (BadRequestException e) {
      Problems.FieldProblem first = e.problems().get(0);
      throw new BadRequestException(first.field(), first.message());
    }
    return ValidatedBodies.read(tree, type);
  }

  /**
   * Converts a JSON value into {@code type} (a contract record's constructor checks included),
   * naming fields under {@code prefix} (such as {@code input.}) in errors.
   */
  <T> T value(JsonNode node, Class<T> type, String prefix) {
    // before decoding: Jackson builds a record before it reports an unknown field, so a misspelt
    // field would surface as a missing one
    unknownFields(node, type, prefix);
    try {
      return mapper.treeToValue(node, type);
    } catch (JsonMappingException e) {
      throw badRequest(e, prefix);
    } catch (JacksonException e) {
      throw new BadRequestException(
          prefix.isEmpty() ? "body" : strip(prefix), e.getOriginalMessage());
    }
  }

  /** Refuses a field that no record component (at any depth) is named after. */
  private static void unknownFields(JsonNode node, Type type, String path) {
    Class<?> raw =
        type instanceof ParameterizedType parameterized
            ? (Class<?>) parameterized.getRawType()
            : type instanceof Class<?> c ? c : null;
    if (raw == null) {
      return;
    }
    if (raw.isRecord() && node.isObject()) {
      Map<String, Type> components = new HashMap<>();
      for (RecordComponent component : raw.getRecordComponents()) {
        components.put(component.getName(), component.getGenericType());
      }
      for (Map.Entry<String, JsonNode> field : node.properties()) {
        Type componentType = components.get(field.getKey());
        if (componentType == null) {
          throw new BadRequestException(
              path + field.getKey(),
              ValidatedBodies.UNKNOWN_FIELD + "; known fields: " + known(components.keySet()));
        }
        unknownFields(field.getValue(), componentType, path + field.getKey() + ".");
      }
    } else if (List.class.isAssignableFrom(raw)
        && node.isArray()
        && type instanceof ParameterizedType parameterized) {
      Type element = parameterized.getActualTypeArguments()[0];
      String list = strip(path);
      for (int i = 0; i < node.size(); i++) {
        unknownFields(node.get(i), element, list + "[" + i + "].");
      }
    }
  }

  private static BadRequestException badRequest(JsonMappingException e, String prefix) {
    String path = path(e);
    String field = prefix + path;
    field = field.isEmpty() ? "body" : strip(field);
    if (e instanceof UnrecognizedPropertyException unknown) {
      return new BadRequestException(
          field,
          ValidatedBodies.UNKNOWN_FIELD
              + "; known fields: "
              + known(unknown.getKnownPropertyIds()));
    }
    if (e instanceof ValueInstantiationException) {
      Throwable root = e;
      while (root.getCause() != null && root.getCause() != root) {
        root = root.getCause();
      }
      return new BadRequestException(field, String.valueOf(root.getMessage()));
    }
    if (e instanceof InvalidFormatException invalid && invalid.getTargetType() != null) {
      return new BadRequestException(
          field, "must be " + ValidatedBodies.describe(invalid.getTargetType()));
    }
    if (e instanceof MismatchedInputException mismatched && mismatched.getTargetType() != null) {
      return new BadRequestException(
          field, "must be " + ValidatedBodies.describe(mismatched.getTargetType()));
    }
    return new BadRequestException(field, e.getOriginalMessage());
  }

  private static String path(JsonMappingException e) {
    StringBuilder path = new StringBuilder();
    for (JsonMappingException.Reference reference : e.getPath()) {
      if (reference.getFieldName() != null) {
        if (path.length() > 0) {
          path.append('.');
        }
        path.append(reference.getFieldName());
      } else if (reference.getIndex() >= 0) {
        path.append('[').append(reference.getIndex()).append(']');
      }
    }
    return path.toString();
  }

  private static String strip(String field) {
    return field.endsWith(".") ? field.substring(0, field.length() - 1) : field;
  }

  private static String known(Collection<?> ids) {
    return ids == null
        ? "none"
        : ids.stream()
            .map(String::valueOf)
            .collect(Collectors.toCollection(TreeSet::new))
            .toString();
  }
}
