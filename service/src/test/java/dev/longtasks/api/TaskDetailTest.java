package dev.longtasks.api;

import static dev.longtasks.api.ApiCalls.json;
import static dev.longtasks.api.TaskApiTest.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.longtasks.handlers.BuiltInHandlers;
import dev.longtasks.json.Json;
import dev.longtasks.store.MemoryTaskStore;
import dev.longtasks.task.TaskService;
import dev.longtasks.testing.MutableClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** {@code GET /v1/tasks/{id}?include=input}: the task view plus the submitted data, only when asked for. */
class TaskDetailTest {
    private static final String DATA = "{\"steps\":2,\"note\":\"<b>bold</b> \\\"quoted\\\" ünïcode\",\"nested\":{\"list\":[1,2.5,null,true]}}";

    private final MutableClock clock = MutableClock.startingNow();
    private final MemoryTaskStore store = MemoryTaskStore.builder().clock(clock).build();
    private final TaskService service = new TaskService(store, event -> { }, BuiltInHandlers.all(), clock,
            Duration.ofHours(1), "test", TaskService.DEFAULT_MAX_INPUT_BYTES);
    private final ApiCalls calls = new ApiCalls(TaskApi.builder(service).listing(store, "memory").clock(clock).build());

    private static List<String> fields(JsonNode object) {
        List<String> names = new ArrayList<>();
        object.fieldNames().forEachRemaining(names::add);
        return names;
    }

    @Nested
    class With_include_input {
        @Test
        void the_answer_is_the_task_view_then_the_input_exactly_as_submitted() {
            String id = calls.submitExample(DATA);

            HttpResponse r = calls.get("/v1/tasks/" + id + "?include=input");

            assertThat(r.status()).isEqualTo(200);
            JsonNode detail = json(r);
            List<String> expected = new ArrayList<>(fields(calls.task(id)));
            expected.add("input");
            assertThat(fields(detail)).containsExactlyElementsOf(expected);
            assertThat(detail.get("input")).isEqualTo(Json.read(DATA));
            assertThat(detail.get("task_id").asText()).isEqualTo(id);
            assertThat(detail.get("status").asText()).isEqualTo("PENDING");
        }

        @Test
        void a_value_other_than_input_is_refused_and_names_the_parameter() {
            String id = calls.submitExample("{}");

            for (String q : List.of("include=result", "include=input,secrets", "include=", "include=input&include=x")) {
                HttpResponse r = calls.get("/v1/tasks/" + id + "?" + q);
                assertProblem(r, 400, "invalid-include");
                assertThat(json(r).get("parameter").asText()).as(q).isEqualTo("include");
            }
        }

        @Test
        void an_unknown_task_is_still_404() {
            assertProblem(calls.get("/v1/tasks/" + UUID.randomUUID() + "?include=input"), 404, "task-not-found");
        }
    }

    @Nested
    class Without_it {
        @Test
        void a_poll_and_a_listing_carry_no_input() {
            String id = calls.submitExample(DATA);

            assertThat(calls.task(id).has("input")).isFalse();
            assertThat(json(calls.get("/v1/tasks")).at("/tasks/0").has("input")).isFalse();
            assertThat(json(calls.call("DELETE", "/v1/tasks/" + id, null)).has("input")).isFalse();
        }

        @Test
        void other_query_parameters_are_ignored_as_before() {
            String id = calls.submitExample("{}");

            assertThat(calls.get("/v1/tasks/" + id + "?verbose=1&_=12345").status()).isEqualTo(200);
        }
    }
}
