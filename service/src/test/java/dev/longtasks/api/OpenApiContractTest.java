package dev.longtasks.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.annotation.JsonRawValue;
import com.fasterxml.jackson.annotation.Nulls;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.introspect.BeanPropertyDefinition;
import dev.longtasks.json.Json;
import dev.longtasks.task.Progress;
import dev.longtasks.task.TaskError;
import dev.longtasks.task.TaskStatus;
import dev.longtasks.testing.Systems;
import dev.longtasks.wiring.TaskSystem;
import io.swagger.parser.OpenAPIParser;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import java.lang.reflect.RecordComponent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
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

    /**
     * The TaskView schema against the Java view it documents ({@link TaskView}): the same fields in
     * the same order, all required (the view writes nulls too), the JSON type of each Java type,
     * and null allowed exactly where the view allows it.
     */
    @Nested
    class Task_view_schema {
        private final JsonNode schema = Json.read(document).at("/components/schemas/TaskView");

        @Test
        void lists_the_views_fields_in_the_order_the_view_writes_them() {
            assertThat(names(schema.get("properties"))).containsExactlyElementsOf(jsonNames(TaskView.class));
        }

        @Test
        void requires_every_field_because_the_view_writes_null_ones_too() {
            List<String> required = new ArrayList<>();
            schema.get("required").forEach(n -> required.add(n.asText()));

            assertThat(required).containsExactlyInAnyOrderElementsOf(jsonNames(TaskView.class));
        }

        @Test
        void gives_each_field_the_json_type_of_its_java_type_and_null_only_where_the_view_allows_null() {
            Map<String, BeanPropertyDefinition> props = properties(TaskView.class);
            for (RecordComponent c : TaskView.class.getRecordComponents()) {
                BeanPropertyDefinition p = props.get(c.getName());
                JsonNode field = schema.at("/properties/" + p.getName());
                boolean nullable = !c.getType().isPrimitive() && p.getMetadata().getValueNulls() != Nulls.FAIL;
                Set<String> expected = new TreeSet<>(jsonTypes(c));
                if (nullable && !expected.isEmpty()) {
                    expected.add("null");
                }

                assertThat(types(field)).as("JSON types of %s", p.getName()).isEqualTo(expected);
            }
        }

        @Test
        void documents_the_raw_result_as_any_json_value() {
            JsonNode result = schema.at("/properties/result");

            assertThat(rawComponents()).containsExactly("result");
            assertThat(result.has("type") || result.has("oneOf") || result.has("$ref")).as("result is not narrowed to a type").isFalse();
        }

        @Test
        void lists_the_statuses_of_task_status() {
            List<String> listed = new ArrayList<>();
            schema.at("/properties/status/enum").forEach(n -> listed.add(n.asText()));

            assertThat(listed).containsExactlyElementsOf(Arrays.stream(TaskStatus.values()).map(Enum::name).toList());
        }

        @Test
        void describes_progress_and_error_with_the_members_and_types_of_their_records() {
            for (Class<? extends Record> member : List.of(Progress.class, TaskError.class)) {
                String field = member == Progress.class ? "progress" : "error";
                JsonNode object = objectBranch(schema.at("/properties/" + field));
                Map<String, BeanPropertyDefinition> props = properties(member);

                assertThat(names(object.get("properties"))).as(field).containsExactlyElementsOf(jsonNames(member));
                for (RecordComponent c : member.getRecordComponents()) {
                    Set<String> declared = types(object.at("/properties/" + props.get(c.getName()).getName()));
                    declared.remove("null");
                    assertThat(declared).as("JSON type of %s.%s", field, c.getName()).isEqualTo(jsonTypes(c));
                }
            }
        }

        private List<String> rawComponents() {
            return Arrays.stream(TaskView.class.getRecordComponents())
                    .filter(c -> c.getAccessor().isAnnotationPresent(JsonRawValue.class)).map(RecordComponent::getName).toList();
        }

        /** Jackson's view of a record: Java component name -> its JSON property (name, null handling). */
        private static Map<String, BeanPropertyDefinition> properties(Class<?> type) {
            Map<String, BeanPropertyDefinition> byJavaName = new HashMap<>();
            Json.MAPPER.getDeserializationConfig().introspect(Json.MAPPER.constructType(type)).findProperties()
                    .forEach(p -> byJavaName.put(p.getInternalName(), p));
            return byJavaName;
        }

        private static List<String> jsonNames(Class<?> record) {
            Map<String, BeanPropertyDefinition> props = properties(record);
            return Arrays.stream(record.getRecordComponents()).map(c -> props.get(c.getName()).getName()).toList();
        }

        /** The JSON types a Java component is written as; empty for a raw JSON value, which may be any. */
        private static Set<String> jsonTypes(RecordComponent c) {
            Class<?> t = c.getType();
            if (c.getAccessor().isAnnotationPresent(JsonRawValue.class)) {
                return new TreeSet<>();
            }
            String type = t == int.class || t == long.class ? "integer"
                    : t == boolean.class ? "boolean"
                    : t == String.class || t.isEnum() ? "string"
                    : t.isRecord() ? "object"
                    : "unmapped " + t.getName();
            return new TreeSet<>(Set.of(type));
        }

        /** The types a schema admits: its {@code type} (one or a list) and those of its {@code oneOf} branches. */
        private static Set<String> types(JsonNode s) {
            Set<String> out = new TreeSet<>();
            JsonNode type = s.get("type");
            if (type != null && type.isArray()) {
                type.forEach(n -> out.add(n.asText()));
            } else if (type != null) {
                out.add(type.asText());
            }
            if (s.has("oneOf")) {
                s.get("oneOf").forEach(b -> out.addAll(types(b)));
            }
            return out;
        }

        private static JsonNode objectBranch(JsonNode s) {
            if (s.has("oneOf")) {
                for (JsonNode b : s.get("oneOf")) {
                    if (types(b).contains("object")) {
                        return b;
                    }
                }
            }
            return s;
        }

        private static List<String> names(JsonNode object) {
            List<String> names = new ArrayList<>();
            object.fieldNames().forEachRemaining(names::add);
            return names;
        }
    }

    /** {@code include=input} on the task route, and the schema of what it adds ({@link TaskDetail}). */
    @Nested
    class Task_detail {
        private final JsonNode doc = Json.read(document);

        @Test
        void the_task_route_documents_include_with_its_one_value_and_answers_task_detail() {
            JsonNode get = doc.at("/paths/~1v1~1tasks~1{task_id}/get");
            JsonNode include = null;
            for (JsonNode p : get.get("parameters")) {
                if (p.get("name").asText().equals("include")) {
                    include = p;
                }
            }

            assertThat(include).isNotNull();
            assertThat(include.get("in").asText()).isEqualTo("query");
            assertThat(include.get("required").asBoolean()).isFalse();
            assertThat(include.at("/schema/enum").toString()).isEqualTo("[\"input\"]");
            assertThat(get.at("/responses/200/content/application~1json/schema/$ref").asText())
                    .isEqualTo("#/components/schemas/TaskDetail");
        }

        @Test
        void task_detail_is_the_task_view_plus_an_optional_input_of_any_json_type() {
            JsonNode detail = doc.at("/components/schemas/TaskDetail");
            List<String> javaNames = new ArrayList<>();
            for (RecordComponent c : TaskDetail.class.getRecordComponents()) {
                javaNames.add(c.getName());
            }

            assertThat(javaNames).containsExactly("task", "input");
            assertThat(detail.at("/allOf/0/$ref").asText()).isEqualTo("#/components/schemas/TaskView");
            JsonNode input = detail.at("/allOf/1/properties/input");
            assertThat(input.isObject()).isTrue();
            assertThat(input.has("type") || input.has("oneOf") || input.has("$ref")).as("input is not narrowed").isFalse();
            assertThat(detail.at("/allOf/1").has("required")).as("input appears only when asked for").isFalse();
        }
    }

    /** The list and stats bodies against the records that write them ({@link TaskListView}, {@link TaskStatsView}). */
    @Nested
    class List_and_stats_schemas {
        private final JsonNode schemas = Json.read(document).at("/components/schemas");

        private static List<String> fields(Class<?> record) {
            List<String> names = new ArrayList<>();
            Json.MAPPER.getSerializationConfig().introspect(Json.MAPPER.constructType(record)).findProperties()
                    .forEach(p -> names.add(p.getName()));
            return names;
        }

        private static List<String> names(JsonNode object) {
            List<String> names = new ArrayList<>();
            object.get("properties").fieldNames().forEachRemaining(names::add);
            return names;
        }

        private static List<String> required(JsonNode object) {
            List<String> names = new ArrayList<>();
            object.get("required").forEach(n -> names.add(n.asText()));
            return names;
        }

        @Test
        void the_task_list_schema_has_the_fields_of_the_view_all_required_and_items_of_task_view() {
            JsonNode list = schemas.get("TaskList");

            assertThat(names(list)).containsExactlyInAnyOrderElementsOf(fields(TaskListView.class));
            assertThat(required(list)).containsExactlyInAnyOrderElementsOf(fields(TaskListView.class));
            assertThat(list.at("/properties/tasks/items/$ref").asText()).isEqualTo("#/components/schemas/TaskView");
        }

        @Test
        void the_task_stats_schema_has_the_fields_of_the_view_its_type_counts_and_its_oldest_pending_task() {
            JsonNode stats = schemas.get("TaskStats");
            JsonNode byType = stats.at("/properties/by_type/additionalProperties");
            JsonNode oldest = stats.at("/properties/oldest_pending/oneOf/1");

            assertThat(names(stats)).containsExactlyInAnyOrderElementsOf(fields(TaskStatsView.class));
            assertThat(required(stats)).containsExactlyInAnyOrderElementsOf(fields(TaskStatsView.class));
            assertThat(names(byType)).containsExactlyInAnyOrderElementsOf(fields(TaskStatsView.TypeCounts.class));
            assertThat(names(oldest)).containsExactlyInAnyOrderElementsOf(fields(TaskStatsView.OldestPending.class));
            assertThat(names(schemas.get("StatusCounts")))
                    .containsExactlyElementsOf(Arrays.stream(TaskStatus.values()).map(Enum::name).toList());
        }

        @Test
        void both_routes_name_their_query_parameters_and_the_ways_to_authenticate() {
            JsonNode paths = Json.read(document).get("paths");
            List<String> listParams = new ArrayList<>();
            paths.at("/~1v1~1tasks/get/parameters").forEach(p -> listParams.add(p.get("name").asText()));
            List<String> schemes = new ArrayList<>();
            Json.read(document).at("/components/securitySchemes").fieldNames().forEachRemaining(schemes::add);

            assertThat(listParams).containsExactlyInAnyOrderElementsOf(ListParameters.LIST);
            assertThat(paths.at("/~1v1~1tasks~1stats/get/parameters/0/name").asText()).isEqualTo("since");
            assertThat(paths.at("/~1v1~1tasks~1stats/get/parameters")).hasSize(ListParameters.STATS.size());
            assertThat(schemes).containsExactly("bearerToken", "awsSigV4", "jwt");
            assertThat(paths.at("/~1v1~1tasks/get/security")).hasSize(3);
        }
    }
}
