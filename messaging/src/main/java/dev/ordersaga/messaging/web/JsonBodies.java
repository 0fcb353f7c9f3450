package dev.ordersaga.messaging.web;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;

/**
 * Request bodies as every REST API takes them: {@code Content-Type: application/json} (with no
 * charset, or UTF-8), strict UTF-8, and strict JSON: one value, no duplicate key, nothing after it,
 * at most {@value #MAX_DEPTH} levels deep, numbers of at most {@value #MAX_NUMBER_LENGTH} digits,
 * decimals as {@link java.math.BigDecimal}, and every string and key valid Unicode. What is wrong
 * is told as an {@link BadRequestException} naming the field ({@code body} for the whole body, else
 * its JSON path such as {@code shippingAddress.city}).
 */
public final class JsonBodies {

  /** The deepest nesting of arrays and objects taken. */
  public static final int MAX_DEPTH = 32;

  /** The most characters of one JSON number. */
  public static final int MAX_NUMBER_LENGTH = 100;

  /** The only content type of a request body. */
  public static final String CONTENT_TYPE = MediaType.APPLICATION_JSON_VALUE;

  /** The most field errors one body gets. */
  private static final int MAX_ERRORS = 20;

  private static final JsonMapper JSON =
      JsonMapper.builder(
              JsonFactory.builder()
                  .streamReadConstraints(
                      StreamReadConstraints.builder()
                          .maxNestingDepth(MAX_DEPTH)
                          .maxNumberLength(MAX_NUMBER_LENGTH)
                          .build())
                  .build())
          .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .build();

  private JsonBodies() {}

  /**
   * What is wrong with a body's {@code Content-Type}, if anything: it must be {@code
   * application/json}, with no parameter but {@code charset=utf-8} (any case). {@code *}{@code /*},
   * {@code text/plain}, {@code application/json; charset=utf-16} and a missing one are refused.
   */
  public static Optional<String> contentTypeProblem(String contentType) {
    if (contentType == null || contentType.isBlank()) {
      return Optional.of("is required for a request body: send application/json");
    }
    MediaType type;
    try {
      type = MediaType.parseMediaType(contentType);
    } catch (InvalidMediaTypeException e) {
      return Optional.of("is not a media type: send application/json");
    }
    if (!type.getType().equalsIgnoreCase("application")
        || !type.getSubtype().equalsIgnoreCase("json")) {
      return Optional.of(
          "must be application/json, was "
              + LogSafe.text(type.getType() + "/" + type.getSubtype()));
    }
    for (Map.Entry<String, String> parameter : type.getParameters().entrySet()) {
      String name = parameter.getKey().toLowerCase(Locale.ROOT);
      String value = parameter.getValue().replace("\"", "").toLowerCase(Locale.ROOT);
      if (!name.equals("charset")) {
        return Optional.of("takes no parameter but charset=utf-8");
      }
      if (!value.equals("utf-8")) {
        return Optional.of(
            "must be UTF-8 (charset=utf-8 or none), was charset=" + LogSafe.text(value));
      }
    }
    return Optional.empty();
  }

  /**
   * The body as a JSON tree.
   *
   * @throws BadRequestException naming {@code body} when it is empty, not UTF-8 or not JSON, or
   *     naming each string that is not valid Unicode
   */
  public static JsonNode read(byte[] body) {
    if (body.length == 0) {
      throw new BadRequestException("body", "is required: a JSON object");
    }
    String text;
    try {
      text = RequestValues.utf8(body);
    } catch (IllegalArgumentException e) {
      throw new BadRequestException("body", e.getMessage());
    }
    JsonNode tree;
    try {
      tree = JSON.readTree(text);
    } catch (JsonProcessingException e) {
      JsonLocation at = e.getLocation();
      String where =
          at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
      throw new BadRequestException("body", "is not valid JSON" + where + ": " + summary(e));
    }
    if (tree == null || tree.isMissingNode()) {
      throw new BadRequestException("body", "is required: a JSON object");
    }
    List<Problems.FieldProblem> problems = new ArrayList<>();
    checkText(tree, "", problems);
    if (!problems.isEmpty()) {
      throw new BadRequestException(problems);
    }
    return tree;
  }

  /** Every key and string of the tree must be valid Unicode. */
  private static void checkText(JsonNode node, String path, List<Problems.FieldProblem> problems) {
    if (problems.size() >= MAX_ERRORS) {
      return;
    }
    if (node.isTextual()) {
      RequestValues.unicodeProblem(node.textValue())
          .ifPresent(
              message ->
                  problems.add(new Problems.FieldProblem(path.isEmpty() ? "body" : path, message)));
    } else if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        checkText(node.get(i), path + "[" + i + "]", problems);
      }
    } else if (node.isObject()) {
      for (Map.Entry<String, JsonNode> field : node.properties()) {
        String name = field.getKey();
        String child = path.isEmpty() ? name : path + "." + name;
        Optional<String> badName = RequestValues.unicodeProblem(name);
        if (badName.isPresent()) {
          problems.add(
              new Problems.FieldProblem(LogSafe.text(child), "has a name that " + badName.get()));
        } else {
          checkText(field.getValue(), child, problems);
        }
      }
    }
  }

  private static String summary(JsonProcessingException e) {
    String message = e.getOriginalMessage();
    int newline = message.indexOf('\n');
    return LogSafe.text(newline < 0 ? message : message.substring(0, newline));
  }
}
