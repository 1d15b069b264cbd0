package dev.longtasks.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.longtasks.json.Json;
import dev.longtasks.testing.Systems;
import dev.longtasks.wiring.TaskSystem;
import io.swagger.parser.OpenAPIParser;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** openapi.json is held to the routes the router really serves, in both directions. */
class OpenApiContractTest {
    private static final Set<String> HTTP_METHODS = Set.of("get", "put", "post", "delete", "patch", "head", "options", "trace");
    private static TaskSystem system;
    private static TaskApi api;
    private static String document;

    @BeforeAll
    static void start() {
        system = Systems.start();
        api = new TaskApi(system.service(), ApiOptions.defaults());
        document = api.handle(new HttpRequest("GET", "/v1/openapi.json", null, null, null, null)).bodyText();
    }

    @AfterAll
    static void stop() {
        system.shutdown(Duration.ZERO);
    }

    private static Set<String> served() {
        Set<String> s = new TreeSet<>();
        api.router().routes().forEach(r -> s.add(r.method() + " " + r.pattern()));
        return s;
    }

    private static Set<String> documented() {
        Set<String> s = new TreeSet<>();
        JsonNode paths = Json.read(document).get("paths");
        paths.fieldNames().forEachRemaining(path -> paths.get(path).fieldNames().forEachRemaining(m -> {
            if (HTTP_METHODS.contains(m)) {
                s.add(m.toUpperCase(Locale.ROOT) + " " + path);
            }
        }));
        return s;
    }

    @Nested
    class Routes {
        @Test
        void every_served_route_is_documented() {
            assertThat(documented()).containsAll(served());
        }

        @Test
        void every_documented_operation_is_served() {
            assertThat(served()).containsAll(documented());
        }

        @Test
        void the_table_is_not_trivially_empty() {
            assertThat(served()).contains("POST /v1/example/process-task", "GET /v1/tasks/{task_id}",
                    "DELETE /v1/tasks/{task_id}", "POST /v1/tasks", "GET /v1/openapi.json", "GET /v1/health");
        }
    }

    @Nested
    class Document {
        @Test
        void it_parses_as_openapi_3_1_without_messages() {
            SwaggerParseResult result = new OpenAPIParser().readContents(document, null, null);

            assertThat(result.getMessages()).isEmpty();
            assertThat(result.getOpenAPI()).isNotNull();
            assertThat(result.getOpenAPI().getOpenapi()).isEqualTo("3.1.0");
            assertThat(result.getOpenAPI().getComponents().getSchemas()).containsKeys("TaskView", "Problem", "SubmitRequest");
        }

        @Test
        void the_task_view_schema_lists_exactly_the_fields_the_api_writes() {
            JsonNode props = Json.read(document).at("/components/schemas/TaskView/properties");
            Set<String> names = new TreeSet<>();
            props.fieldNames().forEachRemaining(names::add);

            assertThat(names).containsExactlyInAnyOrder("task_id", "task_type", "status", "progress", "result", "error",
                    "attempt", "cancel_requested", "created_at", "updated_at", "started_at", "finished_at", "expires_at");
        }

        @Test
        void every_problem_type_the_api_can_answer_is_listed() {
            Set<String> listed = new TreeSet<>();
            Json.read(document).at("/components/schemas/Problem/properties/type/enum").forEach(n -> listed.add(n.asText()));
            Set<String> types = new TreeSet<>();
            for (ProblemType t : ProblemType.values()) {
                types.add(t.uri());
            }

            assertThat(listed).isEqualTo(types);
        }
    }
}
