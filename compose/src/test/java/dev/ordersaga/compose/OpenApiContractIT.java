package dev.ordersaga.compose;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.ordersaga.messaging.testing.TestStores;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The HTTP contract of every app, as a reviewer sees it: each running app's OpenAPI document
 * ({@code /v3/api-docs}, open without sign-in) must equal the one committed as {@code
 * docs/openapi/<app>.json}, so that a change of any API shows in review as a change of that file.
 * On a difference it prints each place where they differ, by JSON pointer. After an intended
 * change, write the documents anew and commit them:
 *
 * <pre>
 * flock /tmp/order-saga-system.lock ./mvnw -pl compose -am verify -Dit.test=OpenApiContractIT \
 *   -Dtest=NoSuch -Dsurefire.failIfNoSpecifiedTests=false -Dfailsafe.failIfNoSpecifiedTests=false \
 *   -Dopenapi.write=true
 * </pre>
 *
 * Also: Swagger UI answers on every app without sign-in.
 */
class OpenApiContractIT {

  private static final Path DOCS = Path.of("..", "docs", "openapi");
  private static final String WRITE = "openapi.write";
  private static final ObjectMapper JSON =
      JsonMapper.builder()
          .enable(SerializationFeature.INDENT_OUTPUT)
          .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
          .build();
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private static Launcher launcher;
  private static String namespace;

  @BeforeAll
  static void startSystem() {
    namespace = "t-" + UUID.randomUUID().toString().substring(0, 8) + ".";
    Map<String, String> settings = new HashMap<>();
    settings.put("server.port", "0");
    settings.put("messaging.rabbit.namespace", namespace);
    settings.put("messaging.store.embedded", "MEMORY");
    settings.put("logging.level.root", "WARN");
    String storeUri = TestStores.uri();
    if (storeUri != null) {
      settings.put("messaging.store.uri", storeUri);
    }
    launcher = Launcher.start(settings);
  }

  @AfterAll
  static void stopSystem() throws Exception {
    if (launcher != null) {
      launcher.close();
    }
    LoadCleanup.deleteNamespace(namespace);
  }

  @Test
  void everyAppsRunningApiIsItsCommittedDocument() throws Exception {
    boolean write = Boolean.getBoolean(WRITE);
    Map<String, List<String>> differences = new HashMap<>();
    for (Map.Entry<String, Integer> app : launcher.ports().entrySet()) {
      HttpResponse<String> answer = get(app.getValue(), "/v3/api-docs");
      assertThat(answer.statusCode()).as("%s /v3/api-docs", app.getKey()).isEqualTo(200);
      // through a tree, so that the committed file has sorted keys and indentation
      JsonNode running = JSON.readTree(answer.body());
      Path committed = DOCS.resolve(app.getKey() + ".json");
      if (write) {
        Files.createDirectories(DOCS);
        Files.writeString(committed, JSON.writeValueAsString(running) + "\n");
        System.out.println("OpenApiContractIT: wrote " + committed.normalize().toAbsolutePath());
        continue;
      }
      if (!Files.exists(committed)) {
        differences.put(app.getKey(), List.of("no committed document " + committed.normalize()));
        continue;
      }
      List<String> found = new ArrayList<>();
      diff("", JSON.readTree(committed.toFile()), running, found);
      if (!found.isEmpty()) {
        differences.put(app.getKey(), found);
      }
    }
    StringBuilder report = new StringBuilder();
    differences.forEach(
        (app, found) -> {
          report.append(
              String.format(
                  "%n%s: the running API differs from docs/openapi/%s.json in %d place(s):%n",
                  app, app, found.size()));
          found.stream().limit(40).forEach(line -> report.append("  ").append(line).append('\n'));
          if (found.size() > 40) {
            report.append("  ... and ").append(found.size() - 40).append(" more\n");
          }
        });
    assertThat(differences)
        .as(
            "OpenAPI documents%s%nIf the change is intended, write the documents anew with"
                + " -D%s=true (see this class's Javadoc) and commit docs/openapi/.",
            report, WRITE)
        .isEmpty();
  }

  @Test
  void swaggerUiAnswersOnEveryAppWithoutSignIn() throws Exception {
    for (Map.Entry<String, Integer> app : launcher.ports().entrySet()) {
      HttpResponse<String> page = get(app.getValue(), "/swagger-ui/index.html");
      assertThat(page.statusCode()).as("%s Swagger UI", app.getKey()).isEqualTo(200);
      assertThat(page.body()).as(app.getKey()).contains("swagger-ui");
      HttpResponse<String> config = get(app.getValue(), "/v3/api-docs/swagger-config");
      assertThat(config.statusCode()).as("%s swagger-config", app.getKey()).isEqualTo(200);
    }
  }

  private static HttpResponse<String> get(int port, String path) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** Each place where two JSON trees differ, by JSON pointer: what is committed, what runs. */
  static void diff(String pointer, JsonNode committed, JsonNode running, List<String> found) {
    if (committed.equals(running)) {
      return;
    }
    if (committed.isObject() && running.isObject()) {
      TreeSet<String> names = new TreeSet<>();
      committed.fieldNames().forEachRemaining(names::add);
      running.fieldNames().forEachRemaining(names::add);
      for (String name : names) {
        String at = pointer + "/" + name.replace("~", "~0").replace("/", "~1");
        if (!running.has(name)) {
          found.add(at + ": committed, no longer in the running API");
        } else if (!committed.has(name)) {
          found.add(at + ": new in the running API: " + brief(running.get(name)));
        } else {
          diff(at, committed.get(name), running.get(name), found);
        }
      }
    } else if (committed.isArray() && running.isArray()) {
      Iterator<JsonNode> left = committed.elements();
      Iterator<JsonNode> right = running.elements();
      int i = 0;
      while (left.hasNext() || right.hasNext()) {
        String at = pointer + "/" + i++;
        if (!right.hasNext()) {
          found.add(at + ": committed, no longer in the running API: " + brief(left.next()));
        } else if (!left.hasNext()) {
          found.add(at + ": new in the running API: " + brief(right.next()));
        } else {
          diff(at, left.next(), right.next(), found);
        }
      }
    } else {
      found.add(pointer + ": committed " + brief(committed) + ", running " + brief(running));
    }
  }

  private static String brief(JsonNode node) {
    String text = node.toString();
    return text.length() > 160 ? text.substring(0, 160) + "..." : text;
  }
}
