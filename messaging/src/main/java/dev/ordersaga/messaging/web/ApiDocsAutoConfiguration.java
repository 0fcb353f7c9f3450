package dev.ordersaga.messaging.web;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.media.ArraySchema;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.parameters.Parameter;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import io.swagger.v3.oas.models.servers.Server;
import java.util.List;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/**
 * Every service's REST API described as OpenAPI 3 by springdoc, at {@code /v3/api-docs} (JSON),
 * with Swagger UI at {@code /swagger-ui.html}; both open without sign-in (they describe the API,
 * they hold no data). What is the same in every service is added here rather than on each
 * controller:
 *
 * <ul>
 *   <li>the title (the service's name), HTTP Basic as the one security scheme, required by every
 *       operation, and a relative server ({@code /}), so the document does not depend on the port;
 *   <li>the {@code Problem} schema (RFC 9457 {@code application/problem+json}, with {@code errors:
 *       [{field, message}]}) and the problem answers every operation can give, where they apply:
 *       401 and 403 everywhere, 503 when the store is unavailable, 400 where there is a parameter
 *       or a body, 404 where the path names a resource, 413 and 415 where there is a body. A 409 is
 *       declared on the operations that give it ({@code @ApiResponse}); an answer a controller
 *       declares itself is kept as it is.
 * </ul>
 *
 * The documents are committed under {@code docs/openapi/} and compose's {@code OpenApiContractIT}
 * fails when a running service and its document differ.
 */
@AutoConfiguration
@ConditionalOnClass(OpenAPI.class)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
public class ApiDocsAutoConfiguration {

  /** The media type of every problem answer. */
  public static final String PROBLEM_JSON = "application/problem+json";

  private static final String PROBLEM_SCHEMA = "Problem";
  private static final String BASIC = "basic";

  @Bean
  OpenAPI serviceApi(Environment env) {
    String service = env.getProperty("spring.application.name", "order-saga");
    return new OpenAPI()
        .info(
            new Info()
                .title(service)
                .version("1")
                .description(
                    "The REST API of "
                        + service
                        + ". Errors are RFC 9457 problem documents (application/problem+json)"
                        + " whose type is urn:order-saga:problem:<name>; each refused field,"
                        + " parameter or header is named in errors[].field."))
        .servers(List.of(new Server().url("/")))
        .components(
            new Components()
                .addSecuritySchemes(
                    BASIC, new SecurityScheme().type(SecurityScheme.Type.HTTP).scheme("basic"))
                .addSchemas(PROBLEM_SCHEMA, problemSchema()))
        .addSecurityItem(new SecurityRequirement().addList(BASIC));
  }

  @Bean
  OpenApiCustomizer problemAnswers() {
    return api ->
        api.getPaths()
            .values()
            .forEach(path -> path.readOperationsMap().forEach((method, op) -> addProblems(op)));
  }

  private static void addProblems(Operation operation) {
    List<Parameter> parameters =
        operation.getParameters() == null ? List.of() : operation.getParameters();
    boolean body = operation.getRequestBody() != null;
    if (body || !parameters.isEmpty()) {
      answer(
          operation,
          "400",
          "The request is refused: a parameter, header or body field is missing or invalid; the"
              + " problem names it in errors[].field (invalid-request, invalid-header)");
    }
    answer(operation, "401", "Sign-in required: no or wrong HTTP Basic credentials (unauthorized)");
    answer(operation, "403", "The signed-in account may not do this (forbidden)");
    if (parameters.stream().anyMatch(p -> "path".equals(p.getIn()))) {
      answer(operation, "404", "Nothing with this id, or not visible to this account (not-found)");
    }
    if (body) {
      answer(operation, "413", "The body is larger than the service accepts (body-too-large)");
      answer(
          operation, "415", "The body is not application/json in UTF-8 (unsupported-media-type)");
    }
    answer(
        operation,
        "503",
        "The service's store does not answer; try again later (store-unavailable)");
    // every error answer is a problem, those a controller declares (409) too
    operation
        .getResponses()
        .forEach(
            (status, response) -> {
              if (status.startsWith("4") || status.startsWith("5")) {
                response.setContent(problem());
              }
            });
  }

  /** Adds a problem answer unless the operation declares one for the status itself. */
  private static void answer(Operation operation, String status, String description) {
    if (operation.getResponses() == null) {
      operation.setResponses(new ApiResponses());
    }
    operation.getResponses().putIfAbsent(status, new ApiResponse().description(description));
  }

  private static Content problem() {
    return new Content()
        .addMediaType(
            PROBLEM_JSON,
            new MediaType().schema(new Schema<>().$ref("#/components/schemas/" + PROBLEM_SCHEMA)));
  }

  private static Schema<?> problemSchema() {
    ObjectSchema error = new ObjectSchema();
    error.addProperty(
        "field",
        new StringSchema()
            .description(
                "what was refused: a body field's path (items[0].sku), a query parameter or a"
                    + " header"));
    error.addProperty("message", new StringSchema().description("what is wrong with it"));
    ObjectSchema problem = new ObjectSchema();
    problem.description("An RFC 9457 problem document, as every error of the service is answered");
    problem.addProperty(
        "type",
        new StringSchema()
            .format("uri")
            .description("urn:order-saga:problem:<name>, for example invalid-request"));
    problem.addProperty("title", new StringSchema().description("a short summary of the type"));
    problem.addProperty("status", new IntegerSchema().description("the HTTP status"));
    problem.addProperty("detail", new StringSchema().description("what was wrong, for a person"));
    problem.addProperty(
        "instance", new StringSchema().format("uri").description("the request's path"));
    problem.addProperty(
        "errors",
        new ArraySchema()
            .items(error)
            .description("each refused field or parameter, when the request had any"));
    return problem;
  }
}
