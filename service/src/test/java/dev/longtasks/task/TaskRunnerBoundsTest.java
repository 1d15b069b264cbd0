package dev.longtasks.task;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.longtasks.json.Json;
import dev.longtasks.store.MemoryTaskStore;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** What the runner bounds so that a record always fits its store item, and how it hands on the end. */
class TaskRunnerBoundsTest {
    static final RunnerSettings SMALL = RunnerSettings.DEFAULTS.withLimits(1_000, 200);

    /** A handler whose body the test gives. */
    record Handler(String type, Body body) implements TaskHandler {
        interface Body {
            JsonNode run(TaskContext ctx) throws Exception;
        }

        @Override
        public JsonNode handle(JsonNode data, TaskContext context) throws Exception {
            return body.run(context);
        }
    }

    private final List<TaskEvent> completions = Collections.synchronizedList(new ArrayList<>());
    private final MemoryTaskStore store = MemoryTaskStore.builder().build();

    private Task run(Handler.Body body) {
        TaskRunner runner = new TaskRunner(store, TaskHandlers.of(List.of(new Handler("t", body))), completions::add,
                SMALL, Clock.systemUTC());
        String id = UUID.randomUUID().toString();
        store.create(Task.pending(id, "t", "{}", Instant.now(), 3600));
        runner.run(TaskEvent.submitted(id, "t", "test"), Duration.ofMinutes(1));
        return store.get(id).orElseThrow();
    }

    @Nested
    class Results {
        @Test
        void a_result_at_the_limit_is_kept() {
            Task t = run(ctx -> Json.MAPPER.getNodeFactory().textNode("r".repeat(998)));
            assertThat(t.status()).isEqualTo(TaskStatus.SUCCEEDED);
            assertThat(t.result()).hasSize(1_000);
        }

        @Test
        void a_result_over_the_limit_ends_the_task_failed_result_too_large_with_size_and_limit() {
            Task t = run(ctx -> Json.MAPPER.getNodeFactory().textNode("r".repeat(999)));
            assertThat(t.status()).isEqualTo(TaskStatus.FAILED);
            assertThat(t.result()).isNull();
            assertThat(t.error().type()).isEqualTo(TaskError.RESULT_TOO_LARGE);
            assertThat(t.error().message()).startsWith("the result is 1001 bytes; the limit is 1000 bytes (TASKS_MAX_RESULT_BYTES)");
            assertThat(completions).extracting(TaskEvent::event).containsExactly(TaskEvent.FAILED);
            assertThat(t.completionSent()).isTrue();
        }
    }

    @Nested
    class Messages_ {
        @Test
        void a_long_error_message_is_cut_to_the_limit_with_a_marker_and_never_inside_a_character() {
            String huge = "ä".repeat(5_000);
            Task t = run(ctx -> {
                throw new IllegalStateException(huge);
            });
            assertThat(t.error().type()).isEqualTo("IllegalStateException");
            assertThat(t.error().message().getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(200);
            assertThat(t.error().message()).startsWith("ää").endsWith(" [... cut, 10000 bytes in all]");
        }

        @Test
        void a_long_progress_message_is_cut_too_and_a_short_one_is_kept() {
            List<String> seen = new ArrayList<>();
            Task t = run(ctx -> {
                ctx.progress(10, "x".repeat(1_000));
                seen.add(store.get(ctx.taskId()).orElseThrow().progress().message());
                ctx.progress(20, "short");
                return null;
            });
            assertThat(seen.getFirst()).hasSizeLessThanOrEqualTo(200).endsWith("bytes in all]");
            assertThat(t.progress().message()).isEqualTo("short");
        }

        @Test
        void the_cap_leaves_text_that_fits_alone() {
            assertThat(Messages.cap("fits", 64)).isEqualTo("fits");
            assertThat(Messages.cap(null, 64)).isNull();
        }
    }
}
