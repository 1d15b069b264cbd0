package dev.longtasks.cli.backend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.longtasks.api.TaskView;
import dev.longtasks.json.Json;
import dev.longtasks.task.Progress;
import dev.longtasks.task.Task;
import dev.longtasks.task.TaskError;
import dev.longtasks.task.TaskStatus;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** taskctl's own reader of the task view gives what Jackson gives, and refuses what Jackson refuses. */
class TaskViewReaderTest {
    static final String ID = "7d0e5b2c-2222-4222-8222-222222222222";
    static final Instant CREATED = Instant.parse("2025-03-04T05:06:07.891011Z");

    /** A task as the store holds it; the view of it is what the API writes. */
    static Task task(TaskStatus status, Progress progress, String result, TaskError error, boolean cancelRequested, long ttl) {
        Instant ended = status.isTerminal() ? CREATED.plusSeconds(9) : null;
        return new Task(ID, "example", status, "{\"steps\":5}", result, error, progress, status == TaskStatus.PENDING ? 0 : 2,
                0L, cancelRequested, CREATED, CREATED.plusSeconds(9), status == TaskStatus.PENDING ? null : CREATED, ended, ttl);
    }

    static Task running() {
        return task(TaskStatus.RUNNING, new Progress(40, "step 2 of 5"), null, null, false, 1_700_000_000L);
    }

    static Task succeeded(String result) {
        return task(TaskStatus.SUCCEEDED, new Progress(100, null), result, null, false, 1_700_000_000L);
    }

    static String written(Task t) {
        return Json.write(TaskView.of(t));
    }

    static void readsAsJacksonDoes(String body) throws IOException {
        TaskView expected = Json.MAPPER.readValue(body, TaskView.class);
        assertThat(TaskViewReader.read(body)).as(body).isEqualTo(expected);
    }

    @Nested
    class Views_the_service_writes {
        @Test
        void every_status_with_progress_error_result_and_expiry_reads_as_jackson_reads_it() throws IOException {
            List<Task> tasks = List.of(
                    task(TaskStatus.PENDING, null, null, null, false, 1_700_000_000L),
                    task(TaskStatus.PENDING, null, null, null, false, 0L),
                    running(),
                    task(TaskStatus.RUNNING, new Progress(0, ""), null, null, true, 1_700_000_000L),
                    succeeded("{\"steps_completed\":5}"),
                    succeeded("null"),
                    task(TaskStatus.FAILED, null, null,
                            new TaskError("Boom", "it \"broke\"\n\tat line 1 \u2014 caf\u00e9 \u0001"), false, 1_700_000_000L),
                    task(TaskStatus.CANCELLED, new Progress(60, "step 3"), null, new TaskError("Cancelled", null), true, 1_700_000_000L));
            for (Task t : tasks) {
                readsAsJacksonDoes(written(t));
            }
        }

        @ParameterizedTest
        @ValueSource(strings = {
                "{ \"b\": 1,  \"a\": [2.50] }", "[ ]", "{}", "\"text\"", "42", "-0", "-0.0", "0.1", "1E+10", "1e-7",
                "100e-2", "4.9e-325", "1e400", "-1e400", "123456789012345678901234567890", "-9223372036854775809",
                "true", "false", "\"\\u00e9\\/\\u001f\\u007f\\u2028 \\b\\f\\n\\r\\t\\\"\\\\ \\ud83d\\ude00 \\uD83D\"",
                "[1,2.50,{\"a\":null,\"a\":3,\"b\":{\"c\":[[]]}}]"})
        void any_json_result_comes_back_as_the_text_jackson_writes_for_it(String result) throws IOException {
            readsAsJacksonDoes(written(succeeded(result)));
        }

        @Test
        void a_result_nested_as_deep_as_the_service_allows_is_read() throws IOException {
            String deep = "[".repeat(199) + "]".repeat(199);
            readsAsJacksonDoes(written(succeeded(deep)));
        }

        @Test
        void spacing_member_order_and_unknown_members_change_nothing() throws IOException {
            String body = Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(
                    TaskView.of(succeeded("{\"a\":[1,2]}")));
            readsAsJacksonDoes(body);
            readsAsJacksonDoes("\r\n\t {\"extra\":{\"x\":[1,{\"y\":null}]},\"updated_at\":\"u\",\"created_at\":\"c\","
                    + "\"status\":\"PENDING\",\"task_type\":\"noop\",\"task_id\":\"" + ID + "\",\"later\":true} \n");
        }
    }

    @Nested
    class Refused_bodies {
        static final String VALID = "{\"task_id\":\"" + ID + "\",\"task_type\":\"noop\",\"status\":\"PENDING\","
                + "\"created_at\":\"c\",\"updated_at\":\"u\"";

        static List<String> refused() {
            List<String> bodies = new ArrayList<>(List.of(
                    "", " ", "[]", "42", "\"view\"", "{", VALID, VALID + "}}", VALID + "} x", VALID + ",}",
                    "{\"task_type\":\"noop\",\"status\":\"PENDING\",\"created_at\":\"c\",\"updated_at\":\"u\"}",
                    VALID.replace("\"PENDING\"", "null") + "}",
                    VALID.replace("PENDING", "DONE") + "}",
                    VALID + ",\"attempt\":01}", VALID + ",\"attempt\":NaN}", VALID + ",\"attempt\":{}}",
                    VALID + ",\"attempt\":99999999999}", VALID + ",\"attempt\":-}", VALID + ",\"attempt\":1.}",
                    VALID + ",\"cancel_requested\":\"yes\"}", VALID + ",\"cancel_requested\":tru}",
                    VALID + ",\"progress\":\"half\"}", VALID + ",\"progress\":{\"percent\":101}}",
                    VALID + ",\"error\":[\"Boom\"]}",
                    VALID + ",/* note */\"attempt\":1}", VALID + ",'attempt':1}", VALID + ",\"attempt\" 1}",
                    VALID + ",\"result\":\"a\u0001b\"}", VALID + ",\"result\":\"\\x\"}", VALID + ",\"result\":\"\\u12G4\"}",
                    VALID + ",\"result\":\"open}",
                    VALID + ",\"result\":[1,]}", VALID + ",\"result\":[,1]}", VALID + ",\"result\":{\"a\":1,}}",
                    VALID + ",\"result\":" + "[".repeat(200) + "]".repeat(200) + "}"));
            return bodies;
        }

        @Test
        void what_jackson_refuses_taskctl_refuses() {
            for (String body : refused()) {
                assertThat(catchThrowable(() -> Json.MAPPER.readValue(body, TaskView.class))).as("Jackson: " + body)
                        .isInstanceOf(IOException.class);
                assertThat(catchThrowable(() -> TaskViewReader.read(body))).as(body).isInstanceOf(IOException.class);
            }
        }

        /** Jackson coerces a string or 3.0 to an int, a number to a status or a string, and misreads non-ASCII hex digits. */
        @Test
        void it_is_stricter_only_where_jackson_is_lenient_about_what_the_api_never_writes() throws IOException {
            for (String body : List.of(VALID + ",\"attempt\":\"3\"}", VALID + ",\"attempt\":3.0}",
                    VALID.replace("\"PENDING\"", "2") + "}", VALID.replace("\"created_at\":\"c\"", "\"created_at\":7") + "}",
                    VALID + ",\"result\":\"\\u\u0661\u0662\u0663\u0664\"}")) {
                assertThat(Json.MAPPER.readValue(body, TaskView.class)).as("Jackson coerces " + body).isNotNull();
                assertThat(catchThrowable(() -> TaskViewReader.read(body))).as(body).isInstanceOf(IOException.class);
            }
        }

        @Test
        void a_json_null_is_no_view_rather_than_a_null_one() throws IOException {
            assertThat(Json.MAPPER.readValue("null", TaskView.class)).isNull();
            assertThat(catchThrowable(() -> TaskViewReader.read("null"))).isInstanceOf(IOException.class);
        }
    }
}
