package dev.longtasks.api;

import static dev.longtasks.api.ApiCalls.json;
import static dev.longtasks.api.TaskApiTest.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.longtasks.config.ServiceSettings;
import dev.longtasks.events.InProcessEventBus;
import dev.longtasks.handlers.BuiltInHandlers;
import dev.longtasks.handlers.ExampleHandler;
import dev.longtasks.store.MemoryTaskStore;
import dev.longtasks.task.TaskContext;
import dev.longtasks.task.TaskHandler;
import dev.longtasks.task.TaskHandlers;
import dev.longtasks.task.TaskService;
import dev.longtasks.testing.Eventually;
import dev.longtasks.testing.Systems;
import dev.longtasks.wiring.TaskSystem;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** What the API answers when the machinery behind it fails: 503s and a 500 that hides internals. */
class TaskApiFailuresTest {

    @Nested
    class WhenTheQueueIsClosed {
        @Test
        void a_submit_answers_503_enqueue_failed_with_the_task_id_and_the_task_is_failed() {
            MemoryTaskStore store = MemoryTaskStore.builder().build();
            InProcessEventBus bus = new InProcessEventBus(1, Duration.ofMillis(10));
            bus.shutdown(Duration.ZERO);
            TaskService service = new TaskService(store, bus, BuiltInHandlers.all(), Clock.systemUTC(),
                    Duration.ofHours(1), "test", TaskService.DEFAULT_MAX_INPUT_BYTES);
            ApiCalls calls = new ApiCalls(new TaskApi(service, ApiOptions.defaults()));

            HttpResponse r = calls.postJson("/v1/example/process-task", "{\"data\":{}}");

            assertProblem(r, 503, "enqueue-failed");
            assertThat(r.header("Retry-After")).isEqualTo("1");
            String id = json(r).get("task_id").asText();
            JsonNode t = calls.task(id);
            assertThat(t.get("status").asText()).isEqualTo("FAILED");
            assertThat(t.get("error").get("type").asText()).isEqualTo("EnqueueFailed");
            // The error object is the documented {type, message}: no bean getter of TaskError leaks into it.
            assertThat(t.get("error").size()).as("members of %s", t.get("error")).isEqualTo(2);
            assertThat(t.get("error").has("message")).isTrue();
        }
    }

    @Nested
    class WhenTheStoreIsFull {
        @Test
        void a_submit_answers_503_with_retry_after() {
            TaskSystem system = Systems.start("TASKS_MEMORY_MAX_TASKS", "1", "TASKS_WORKERS", "1");
            try {
                ApiCalls calls = new ApiCalls(new TaskApi(system.service(), ApiOptions.from(system.settings())));
                String running = calls.submitExample("{\"steps\":1000,\"step_ms\":50}");
                Eventually.until(() -> calls.task(running), v -> v.get("status").asText().equals("RUNNING"), "RUNNING");

                HttpResponse r = calls.postJson("/v1/example/process-task", "{\"data\":{}}");

                assertProblem(r, 503, "service-unavailable");
                assertThat(r.header("Retry-After")).isEqualTo("1");
                assertThat(r.bodyText()).doesNotContain("unfinished tasks", "Exception");
            } finally {
                system.shutdown(Duration.ZERO);
            }
        }
    }

    @Nested
    class WhenAHandlerBreaksUnexpectedly {
        /** A task type whose validation has a bug: it throws a runtime exception with internal text. */
        static final class BrokenValidation implements TaskHandler {
            @Override
            public String type() {
                return "broken";
            }

            @Override
            public void validate(JsonNode data) {
                throw new IllegalStateException("secret connection string jdbc://admin:pw@db");
            }

            @Override
            public JsonNode handle(JsonNode data, TaskContext context) {
                return data;
            }
        }

        @Test
        void the_client_gets_500_with_an_incident_id_and_no_exception_text() {
            TaskSystem system = TaskSystem.start(ServiceSettings.fromEnv(Systems.env()),
                    TaskHandlers.of(List.of(new ExampleHandler(), new BrokenValidation())), Clock.systemUTC());
            try {
                ApiCalls calls = new ApiCalls(new TaskApi(system.service(), ApiOptions.defaults()));

                HttpResponse r = calls.postJson("/v1/tasks", "{\"type\":\"broken\",\"data\":{}}");

                assertProblem(r, 500, "internal-error");
                assertThat(json(r).get("incident").asText()).hasSize(36);
                assertThat(r.bodyText()).doesNotContain("secret", "jdbc", "IllegalStateException", "at dev.");
            } finally {
                system.shutdown(Duration.ZERO);
            }
        }
    }
}
