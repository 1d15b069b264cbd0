package dev.longtasks.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import dev.longtasks.json.Json;
import dev.longtasks.task.Progress;
import dev.longtasks.task.Task;
import dev.longtasks.task.TaskError;
import dev.longtasks.task.TaskStatus;
import java.time.Instant;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The one task view: what the API writes for a task, and what taskctl reads back from it. */
class TaskViewTest {
    static final String ID = "3f1c9e0a-1111-4111-8111-111111111111";
    static final Instant T0 = Instant.parse("2025-01-02T03:04:05.123456Z");

    static Task running() {
        return Task.pending(ID, "example", "{\"steps\":5}", T0, 3600)
                .claimed(T0.plusMillis(5), 30_000, 3600)
                .withProgress(new Progress(40, "step 2 of 5"), T0.plusSeconds(1), 30_000, 3600);
    }

    static Task succeeded(String resultJson) {
        return running().finished(TaskStatus.SUCCEEDED, resultJson, null, T0.plusSeconds(2), 3600);
    }

    @Nested
    class Writing {
        @Test
        void writes_every_field_in_the_documented_order_with_nulls_and_iso_timestamps() {
            assertThat(Json.write(TaskView.of(running()))).isEqualTo("{\"task_id\":\"" + ID + "\",\"task_type\":\"example\","
                    + "\"status\":\"RUNNING\",\"progress\":{\"percent\":40,\"message\":\"step 2 of 5\"},\"result\":null,"
                    + "\"error\":null,\"attempt\":1,\"cancel_requested\":false,\"created_at\":\"2025-01-02T03:04:05.123456Z\","
                    + "\"updated_at\":\"2025-01-02T03:04:06.123456Z\",\"started_at\":\"2025-01-02T03:04:05.128456Z\","
                    + "\"finished_at\":null,\"expires_at\":\"2025-01-02T04:04:06Z\"}");
        }

        @Test
        void embeds_the_stored_result_text_as_it_is_without_parsing_it_again() {
            // Spacing and member order a re-serialisation would not keep show that the text is copied as stored.
            String written = Json.write(TaskView.of(succeeded("{ \"b\": 1,  \"a\": [2.50] }")));

            assertThat(written).contains(",\"result\":{ \"b\": 1,  \"a\": [2.50] },\"error\":null,");
        }

        @Test
        void a_handler_that_returned_null_has_no_result() {
            assertThat(TaskView.of(succeeded("null")).result()).isNull();
            assertThat(Json.write(TaskView.of(succeeded("null")))).contains(",\"result\":null,");
        }

        @Test
        void a_task_without_a_ttl_has_no_expiry() {
            Task noTtl = new Task(ID, "noop", TaskStatus.PENDING, "{}", null, null, null, 0, 0L, false, T0, T0, null, null, 0L);

            assertThat(Json.write(TaskView.of(noTtl))).endsWith(",\"expires_at\":null}");
        }
    }

    @Nested
    class Reading {
        @Test
        void reads_back_exactly_the_view_that_was_written() throws Exception {
            Task failed = running().finished(TaskStatus.FAILED, null, new TaskError("Boom", "it \"broke\""), T0.plusSeconds(3), 3600);
            for (Task t : new Task[] {running(), succeeded("{\"steps_completed\":5}"), failed, running().withCancelRequested(T0, 60)}) {
                TaskView view = TaskView.of(t);

                assertThat(Json.MAPPER.readValue(Json.write(view), TaskView.class)).isEqualTo(view);
            }
        }

        @Test
        void reads_any_json_result_back_as_compact_json_text() throws Exception {
            for (String result : new String[] {"{ \"a\" : [1, 2.5, true] }", "\"text\"", "42", "[ ]"}) {
                String written = Json.write(TaskView.of(succeeded(result)));

                assertThat(Json.MAPPER.readValue(written, TaskView.class).result()).isEqualTo(Json.write(Json.read(result)));
            }
        }

        @Test
        void refuses_a_view_without_a_field_that_is_never_null() {
            String withoutStatus = Json.write(TaskView.of(running())).replace("\"status\":\"RUNNING\"", "\"status\":null");

            assertThatThrownBy(() -> Json.MAPPER.readValue(withoutStatus, TaskView.class))
                    .isInstanceOf(MismatchedInputException.class).hasMessageContaining("\"status\"");
            assertThatThrownBy(() -> Json.MAPPER.readValue("{}", TaskView.class))
                    .isInstanceOf(MismatchedInputException.class);
        }
    }

    @Nested
    class As_a_task {
        @Test
        void keeps_every_field_the_view_shows() {
            Task cancelled = running().withCancelRequested(T0.plusSeconds(2), 3600)
                    .finished(TaskStatus.CANCELLED, null, null, T0.plusSeconds(3), 3600);
            for (Task t : new Task[] {running(), succeeded("{\"steps_completed\":5}"), cancelled}) {
                TaskView view = TaskView.of(t);

                assertThat(TaskView.of(view.toTask())).isEqualTo(view);
            }
        }

        @Test
        void has_no_input_and_no_lease_because_a_view_shows_neither() {
            Task task = TaskView.of(running()).toTask();

            assertThat(task.input()).isNull();
            assertThat(task.leaseUntil()).isZero();
            assertThat(task.ttl()).isEqualTo(running().ttl());
        }
    }
}
