package dev.longtasks.cli.commands;

import static org.assertj.core.api.Assertions.assertThat;

import dev.longtasks.cli.CliRun;
import dev.longtasks.cli.LocalService;
import dev.longtasks.json.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** submit, status, watch and cancel through the real CommandLine against the real local service. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TaskCommandsTest {
    static final String UUID = "[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}";
    static final String UNKNOWN = "3f1c9e0a-1111-4111-8111-111111111111";
    LocalService service;
    String url;

    @BeforeAll
    void start() {
        service = new LocalService();
        url = service.url();
    }

    @AfterAll
    void stop() {
        service.close();
    }

    CliRun.Result taskctl(String stdin, String... args) {
        return CliRun.run(Map.of(), stdin, args);
    }

    String submit(String data) {
        var r = taskctl("", "submit", "--api-url", url, "--data", data);
        assertThat(r.code()).as(r.err()).isZero();
        return r.out().trim();
    }

    @Nested
    class Submit {
        @Test
        void prints_only_the_task_id_on_stdout() {
            var r = taskctl("", "submit", "--api-url", url, "--data", "{\"steps\":1,\"step_ms\":0}");
            assertThat(r.code()).isZero();
            assertThat(r.out()).matches(UUID + "\n");
            assertThat(r.err()).isEmpty();
        }

        @Test
        void reads_the_data_from_stdin_with_a_dash() {
            var r = taskctl("{\"steps\":1,\"step_ms\":0}", "submit", "--api-url", url, "-");
            assertThat(r.code()).isZero();
            assertThat(r.out()).matches(UUID + "\n");
        }

        @Test
        void invalid_json_in_a_file_exits_2_with_one_line_and_submits_nothing(@TempDir Path dir) throws Exception {
            Path bad = dir.resolve("bad.json");
            Files.writeString(bad, "{\"steps\": 2,\n");
            int before = service.taskCount();
            var r = taskctl("", "submit", "--api-url", url, bad.toString());
            assertThat(r.code()).isEqualTo(2);
            assertThat(r.out()).isEmpty();
            assertThat(r.err()).isEqualTo("taskctl: invalid JSON in " + bad + " at line 2 column 1: "
                    + "Unexpected end-of-input within/between Object entries — nothing was submitted\n");
            assertThat(service.taskCount()).isEqualTo(before);
        }

        @Test
        void a_missing_file_exits_2() {
            var r = taskctl("", "submit", "--api-url", url, "no/such/file.json");
            assertThat(r.code()).isEqualTo(2);
            assertThat(r.err()).isEqualTo("taskctl: file not found: no/such/file.json — pass an existing JSON file, or `-` for stdin\n");
        }

        @Test
        void data_the_handler_refuses_exits_2_before_anything_is_sent() {
            int before = service.taskCount();
            var r = taskctl("", "submit", "--api-url", url, "--data", "{\"steps\":0}");
            assertThat(r.code()).isEqualTo(2);
            assertThat(r.err()).isEqualTo("taskctl: invalid task data: 'data.steps' must be an integer from 1 to 10000 — nothing was submitted\n");
            assertThat(service.taskCount()).isEqualTo(before);
        }

        @Test
        void an_unknown_type_is_refused_by_the_api_with_exit_2() {
            var r = taskctl("", "submit", "--api-url", url, "--type", "nope", "--data", "{}");
            assertThat(r.code()).isEqualTo(2);
            assertThat(r.err()).startsWith("taskctl: submit failed: HTTP 400").contains("nope");
        }

        @Test
        void jsonl_submits_one_task_per_line_and_prints_the_ids_in_order() {
            String lines = "{\"steps\":1,\"step_ms\":0}\n\n{\"steps\":2,\"step_ms\":0}\n{\"steps\":3,\"step_ms\":0}\n";
            var r = taskctl(lines, "submit", "--api-url", url, "--jsonl", "-");
            assertThat(r.code()).isZero();
            String[] ids = r.outLines();
            assertThat(ids).hasSize(3).allMatch(id -> id.matches(UUID));
            var watched = taskctl(r.out(), "watch", "--api-url", url, "-o", "json", "-");
            assertThat(watched.code()).isZero();
            var arr = Json.read(watched.out());
            for (int i = 0; i < 3; i++) {
                assertThat(arr.get(i).get("task_id").asText()).isEqualTo(ids[i]);
                assertThat(arr.get(i).at("/result/steps_completed").asInt()).isEqualTo(i + 1);
            }
        }

        @Test
        void jsonl_refuses_the_whole_batch_when_one_line_is_bad() {
            int before = service.taskCount();
            var r = taskctl("{\"steps\":1}\n{oops\n", "submit", "--api-url", url, "--jsonl", "-");
            assertThat(r.code()).isEqualTo(2);
            assertThat(r.err()).startsWith("taskctl: invalid JSON in stdin line 2 column 2: Unexpected character").endsWith("— nothing was submitted\n");
            assertThat(service.taskCount()).isEqualTo(before);
        }

        @Test
        void wait_follows_the_task_and_exits_with_its_outcome() {
            var r = taskctl("", "submit", "--api-url", url, "--data", "{\"steps\":2,\"step_ms\":10,\"fail_at_step\":2}", "--wait", "-o", "json");
            assertThat(r.code()).isEqualTo(1);
            String[] lines = r.outLines();
            assertThat(lines[0]).matches(UUID);
            var record = Json.read(String.join("\n", Arrays.copyOfRange(lines, 1, lines.length)));
            assertThat(record.get("status").asText()).isEqualTo("FAILED");
            assertThat(record.at("/error/type").asText()).isEqualTo("ExampleStepFailedException");
        }

        @Test
        void an_unreachable_api_exits_5_with_what_to_do() {
            var r = taskctl("", "submit", "--api-url", "http://127.0.0.1:9", "--data", "{}");
            assertThat(r.code()).isEqualTo(5);
            assertThat(r.err()).isEqualTo("taskctl: cannot reach the task API at http://127.0.0.1:9 — is it running? "
                    + "Start one with `taskctl dev`, or check --api-url/--stage\n");
        }
    }

    @Nested
    class Status {
        @Test
        void shows_a_borderless_table_with_upper_case_headers_and_no_colour_when_piped() {
            String id = submit("{\"steps\":1,\"step_ms\":0}");
            taskctl("", "watch", "--api-url", url, id);
            var r = taskctl("", "status", "--api-url", url, id);
            assertThat(r.code()).isZero();
            assertThat(r.outLines()).hasSize(2);
            assertThat(r.outLines()[0]).matches("TASK ID +TYPE +STATUS +PROGRESS +ATTEMPT +UPDATED +RESULT / ERROR");
            assertThat(r.outLines()[1]).matches(id + "  example  SUCCEEDED  100% step 1 of 1  1 +\\S+Z  \\{\"steps_completed\":1,\"data_sha256\":\"[0-9a-f]{64}\"}");
            assertThat(r.out()).doesNotContain("\u001b[");
        }

        @Test
        void json_output_is_the_task_view_with_snake_case_fields() {
            String id = submit("{\"steps\":1,\"step_ms\":0}");
            taskctl("", "watch", "--api-url", url, id);
            var r = taskctl("", "status", "--api-url", url, id, "-o", "json");
            var v = Json.read(r.out());
            assertThat(v.fieldNames()).toIterable().containsExactly("task_id", "task_type", "status", "progress", "result",
                    "error", "attempt", "cancel_requested", "created_at", "updated_at", "started_at", "finished_at", "expires_at");
            assertThat(v.get("status").asText()).isEqualTo("SUCCEEDED");
        }

        @Test
        void an_unknown_id_exits_3() {
            var r = taskctl("", "status", "--api-url", url, UNKNOWN);
            assertThat(r.code()).isEqualTo(3);
            assertThat(r.out()).isEmpty();
            assertThat(r.err()).isEqualTo("taskctl: task " + UNKNOWN + " not found: unknown or expired id "
                    + "(tasks are kept 1 h after their last update) on " + url + "\n");
        }

        @Test
        void a_malformed_id_is_a_usage_error() {
            var r = taskctl("", "status", "--api-url", url, "not-an-id");
            assertThat(r.code()).isEqualTo(2);
            assertThat(r.err()).isEqualTo("taskctl: 'not-an-id' is not a task id: task ids are UUIDs as printed by `taskctl submit`\n");
        }
    }

    @Nested
    class Watch {
        @Test
        void prints_one_line_per_change_on_stderr_and_the_record_on_stdout_when_not_a_terminal() {
            String id = submit("{\"steps\":2,\"step_ms\":300}");
            var r = taskctl("", "watch", "--api-url", url, id, "-o", "json");
            assertThat(r.code()).isZero();
            assertThat(Json.read(r.out()).get("status").asText()).isEqualTo("SUCCEEDED");
            String[] lines = r.err().split("\n");
            assertThat(lines[lines.length - 1]).matches("\\d+\\.\\ds  " + id + "  SUCCEEDED  100% step 2 of 2");
            assertThat(r.err()).doesNotContain("\r", "\u001b[");
            // Polling snaps back on change, so each progress step is seen.
            assertThat(r.err()).contains("50% step 1 of 2");
        }

        @Test
        void jsonl_gives_one_task_view_per_change_and_nothing_else_on_stdout() {
            String id = submit("{\"steps\":2,\"step_ms\":300}");
            var r = taskctl("", "watch", "--api-url", url, id, "-o", "jsonl");
            assertThat(r.code()).isZero();
            String[] lines = r.outLines();
            assertThat(lines.length).isGreaterThanOrEqualTo(2);
            for (String l : lines) {
                assertThat(Json.read(l).get("task_id").asText()).isEqualTo(id);
            }
            assertThat(Json.read(lines[lines.length - 1]).get("status").asText()).isEqualTo("SUCCEEDED");
            assertThat(r.err()).isEmpty();
        }

        @Test
        void result_prints_only_the_result() {
            String id = submit("{\"steps\":1,\"step_ms\":0}");
            var r = taskctl("", "watch", "--api-url", url, id, "--result");
            assertThat(r.code()).isZero();
            assertThat(r.out()).matches("\\{\"steps_completed\":1,\"data_sha256\":\"[0-9a-f]{64}\"}\n");
        }

        @Test
        void many_ids_exit_with_the_worst_code_and_print_every_record() {
            String ok = submit("{\"steps\":1,\"step_ms\":0}");
            String failed = submit("{\"steps\":1,\"step_ms\":0,\"fail_at_step\":1}");
            var r = taskctl("", "watch", "--api-url", url, ok, failed, UNKNOWN, "-o", "json", "-q");
            assertThat(r.code()).isEqualTo(3);
            var arr = Json.read(r.out());
            assertThat(arr.get(0).get("status").asText()).isEqualTo("SUCCEEDED");
            assertThat(arr.get(1).get("status").asText()).isEqualTo("FAILED");
            assertThat(r.err()).isEqualTo("taskctl: task " + UNKNOWN + " not found: unknown or expired id "
                    + "(tasks are kept 1 h after their last update)\n");
        }

        @Test
        void fail_fast_stops_at_the_first_failure() {
            String failed = submit("{\"steps\":1,\"step_ms\":0,\"fail_at_step\":1}");
            String slow = submit("{\"steps\":50,\"step_ms\":200}");
            var r = taskctl("", "watch", "--api-url", url, failed, slow, "--fail-fast", "-o", "json", "-q");
            assertThat(r.code()).isEqualTo(1);
            assertThat(Json.read(r.out()).get("task_id").asText()).isEqualTo(failed);
            taskctl("", "cancel", "--api-url", url, slow);
        }

        @Test
        void times_out_with_exit_4_and_says_how_to_continue() {
            String slow = submit("{\"steps\":50,\"step_ms\":200}");
            var r = taskctl("", "watch", "--api-url", url, slow, "--timeout", "1s", "-q");
            assertThat(r.code()).isEqualTo(4);
            assertThat(r.err()).matches("taskctl: timed out after \\d\\.\\ds waiting for task " + slow
                    + " \\(still RUNNING, \\d+% step \\d+ of 50\\) — keep following it with `taskctl watch --api-url " + url + " " + slow + "` or raise --timeout\n");
            taskctl("", "cancel", "--api-url", url, slow);
        }

        @Test
        void reads_ids_from_stdin() {
            String id = submit("{\"steps\":1,\"step_ms\":0}");
            var r = taskctl(id + "\n", "watch", "--api-url", url, "-", "--result");
            assertThat(r.code()).isZero();
            assertThat(r.out()).startsWith("{\"steps_completed\":1");
        }

        @Test
        void no_ids_on_stdin_is_a_usage_error() {
            var r = taskctl("\n", "watch", "--api-url", url, "-");
            assertThat(r.code()).isEqualTo(2);
            assertThat(r.err()).isEqualTo("taskctl: no task ids on stdin: pipe ids in, e.g. `taskctl submit ... | taskctl watch -`\n");
        }
    }

    @Nested
    class Cancel {
        @Test
        void a_running_task_gets_cancel_requested_and_ends_cancelled() {
            String id = submit("{\"steps\":100,\"step_ms\":100}");
            taskctl("", "watch", "--api-url", url, id, "--timeout", "300ms", "-q");
            var r = taskctl("", "cancel", "--api-url", url, id, "-o", "json");
            assertThat(r.code()).isZero();
            assertThat(r.err()).isEqualTo("cancellation requested: task " + id
                    + " is RUNNING and stops at its handler's next check; follow it with `taskctl watch --api-url " + url + " " + id + "`\n");
            assertThat(Json.read(r.out()).get("cancel_requested").asBoolean()).isTrue();
            var w = taskctl("", "watch", "--api-url", url, id, "-o", "json", "-q");
            assertThat(w.code()).isEqualTo(1);
            assertThat(Json.read(w.out()).get("status").asText()).isEqualTo("CANCELLED");
        }

        @Test
        void a_finished_task_is_left_alone() {
            String id = submit("{\"steps\":1,\"step_ms\":0}");
            taskctl("", "watch", "--api-url", url, id, "-q");
            var r = taskctl("", "cancel", "--api-url", url, id, "-q", "-o", "json");
            assertThat(r.code()).isZero();
            assertThat(Json.read(r.out()).get("status").asText()).isEqualTo("SUCCEEDED");
        }

        @Test
        void an_unknown_id_exits_3() {
            var r = taskctl("", "cancel", "--api-url", url, UNKNOWN);
            assertThat(r.code()).isEqualTo(3);
            assertThat(r.err()).isEqualTo("taskctl: task " + UNKNOWN + " not found: unknown or expired id on " + url + "\n");
        }
    }

    @Nested
    class Still_pending {
        @Test
        void is_told_apart_from_an_unknown_id() {
            // One worker, busy with a long task: the second task stays PENDING, as when no listener runs.
            try (LocalService busy = new LocalService(Map.of("TASKS_WORKERS", "1"))) {
                var first = taskctl("", "submit", "--api-url", busy.url(), "--data", "{\"steps\":100,\"step_ms\":100}");
                var second = taskctl("", "submit", "--api-url", busy.url(), "--data", "{\"steps\":1}");
                String id = second.out().trim();
                var r = taskctl("", "watch", "--api-url", busy.url(), id, "--pending-warning", "200ms", "--timeout", "1s", "-q");
                assertThat(r.code()).isEqualTo(4);
                assertThat(r.err()).contains("taskctl: task " + id + " is still PENDING after 0 s — is the listener subscribed? Check the server's log.\n");
                assertThat(r.err()).contains("(still PENDING, -) — is the listener subscribed?");
                assertThat(r.err()).doesNotContain("not found");
                taskctl("", "cancel", "--api-url", busy.url(), first.out().trim());
            }
        }
    }
}
