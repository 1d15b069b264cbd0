package dev.longtasks.cli.commands;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.longtasks.cli.CliEnvironment;
import dev.longtasks.cli.CliRun;
import dev.longtasks.cli.LocalService;
import dev.longtasks.cli.Main;
import dev.longtasks.json.Json;
import dev.longtasks.testing.Eventually;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** {@code taskctl ls} through the real CommandLine against the real local service (memory store, listing open). */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LsCommandTest {
    static final String TOKEN = "tok-ls-" + "0123456789abcdef";
    LocalService service;
    LocalService guarded;
    String url;
    String quick;
    String failing;
    String slow;

    @BeforeAll
    void start() {
        service = new LocalService();
        guarded = new LocalService(Map.of("TASKS_API_TOKEN", TOKEN));
        url = service.url();
        quick = submit(url, "example", "{\"steps\":1,\"step_ms\":0}");
        failing = submit(url, "example", "{\"steps\":2,\"step_ms\":0,\"fail_at_step\":1}");
        slow = submit(url, "example", "{\"steps\":600,\"step_ms\":100}");
        Eventually.await("the three tasks succeeded, failed and running", Duration.ofSeconds(20), () -> {
            String out = taskctl("ls", "--api-url", url, "-o", "jsonl").out();
            return out.contains("\"SUCCEEDED\"") && out.contains("\"FAILED\"") && out.contains("\"RUNNING\"");
        });
    }

    @AfterAll
    void stop() {
        taskctl("cancel", "--api-url", url, slow);
        service.close();
        guarded.close();
    }

    static CliRun.Result taskctl(String... args) {
        return CliRun.run(Map.of(), "", args);
    }

    static String submit(String url, String type, String data) {
        var r = taskctl("submit", "--api-url", url, "--type", type, "--data", data);
        assertThat(r.code()).as(r.err()).isZero();
        return r.out().trim();
    }

    static List<String> ids(String jsonl) {
        return jsonl.lines().map(l -> Json.read(l).get("task_id").asText()).toList();
    }

    @Nested
    class One_page {
        @Test
        void text_is_a_table_newest_first_with_upper_case_headers_and_no_escape_off_a_terminal() {
            var r = taskctl("ls", "--api-url", url);

            assertThat(r.code()).as(r.err()).isZero();
            String[] lines = r.outLines();
            assertThat(lines[0]).startsWith("TASK ID").contains("TYPE", "STATUS", "PROGRESS", "RESULT / ERROR");
            List<String> order = new ArrayList<>();
            for (String line : lines) {
                order.add(line.split("\\s+")[0]);
            }
            assertThat(order).containsSubsequence(slow, failing, quick);
            assertThat(r.out()).contains("ExampleStepFailedException").doesNotContain("\u001b");
            assertThat(r.err()).isEmpty();
        }

        @Test
        void json_is_the_list_apis_body_and_jsonl_one_task_view_per_line() {
            var json = taskctl("ls", "--api-url", url, "-o", "json");
            var jsonl = taskctl("ls", "--api-url", url, "-o", "jsonl");

            JsonNode body = Json.read(json.out());
            assertThat(body.has("tasks")).isTrue();
            assertThat(body.has("next_cursor")).isTrue();
            assertThat(body.get("since").asText()).endsWith("Z");
            List<String> fromJson = new ArrayList<>();
            body.get("tasks").forEach(t -> fromJson.add(t.get("task_id").asText()));
            assertThat(ids(jsonl.out())).isEqualTo(fromJson).contains(quick, failing, slow);
            assertThat(Json.read(jsonl.out().lines().findFirst().orElseThrow()).has("cancel_requested")).isTrue();
        }

        @Test
        void filters_by_status_and_type_in_any_case() {
            var failed = taskctl("ls", "--api-url", url, "--status", "failed", "-o", "jsonl");
            var none = taskctl("ls", "--api-url", url, "--type", "no-such-type", "--since", "1h");

            assertThat(ids(failed.out())).contains(failing).doesNotContain(quick, slow);
            assertThat(failed.out().lines()).allMatch(l -> l.contains("\"status\":\"FAILED\""));
            assertThat(none.code()).isZero();
            assertThat(none.out()).isEmpty();
            assertThat(none.err()).startsWith("taskctl: no tasks match (since ");
        }

        @Test
        void more_than_a_page_prints_the_command_for_the_next_page_on_stderr_and_that_command_continues() {
            var first = taskctl("ls", "--api-url", url, "--limit", "1", "-o", "jsonl");

            assertThat(ids(first.out())).hasSize(1);
            String note = first.err().strip();
            assertThat(note).startsWith("taskctl: more tasks match; the next page: taskctl ls --api-url " + url
                    + " --limit 1 --cursor ").endsWith("(or --all for every page)");
            String cursor = note.replaceAll(".*--cursor (\\S+) .*", "$1");
            var second = taskctl("ls", "--api-url", url, "--limit", "1", "--cursor", cursor, "-o", "jsonl");
            assertThat(second.code()).as(second.err()).isZero();
            assertThat(ids(second.out())).hasSize(1).doesNotContainAnyElementsOf(ids(first.out()));
        }

        @Test
        void all_follows_every_page_without_gaps_or_repeats() {
            var every = taskctl("ls", "--api-url", url, "--all", "--limit", "1", "-o", "json");
            var single = taskctl("ls", "--api-url", url, "--limit", "500", "-o", "jsonl");

            JsonNode body = Json.read(every.out());
            List<String> paged = new ArrayList<>();
            body.get("tasks").forEach(t -> paged.add(t.get("task_id").asText()));
            assertThat(paged).isEqualTo(ids(single.out()));
            assertThat(new HashSet<>(paged)).hasSameSizeAs(paged);
            assertThat(body.get("next_cursor").isNull()).isTrue();
            assertThat(every.err()).isEmpty();
        }

        @Test
        void quiet_leaves_stderr_empty() {
            var r = taskctl("ls", "--api-url", url, "--limit", "1", "-q");

            assertThat(r.code()).isZero();
            assertThat(r.err()).isEmpty();
        }
    }

    @Nested
    class Refusals {
        @Test
        void a_bad_filter_is_the_apis_one_line_and_exit_2() {
            var status = taskctl("ls", "--api-url", url, "--status", "DONE");
            var since = taskctl("ls", "--api-url", url, "--since", "yesterday");
            var limit = taskctl("ls", "--api-url", url, "--limit", "0");

            assertThat(status.code()).isEqualTo(2);
            assertThat(status.err()).isEqualTo("taskctl: list failed: HTTP 400 — 'DONE' is not a task status; use "
                    + "PENDING,RUNNING,SUCCEEDED,FAILED,CANCELLED (comma-separated for several)\n");
            assertThat(since.code()).isEqualTo(2);
            assertThat(since.err()).startsWith("taskctl: list failed: HTTP 400 — 'yesterday' is not a valid 'since'");
            assertThat(limit.code()).isEqualTo(2);
            assertThat(limit.err().lines().count()).isEqualTo(1);
        }

        @Test
        void a_cursor_with_other_filters_is_refused() {
            var first = taskctl("ls", "--api-url", url, "--limit", "1", "-o", "json");
            String cursor = Json.read(first.out()).get("next_cursor").asText();

            var r = taskctl("ls", "--api-url", url, "--limit", "1", "--status", "FAILED", "--cursor", cursor);

            assertThat(r.code()).isEqualTo(2);
            assertThat(r.err()).contains("this cursor belongs to a listing with other filters");
        }

        @Test
        void a_guarded_api_without_a_token_is_one_line_and_exit_5_and_with_the_token_lists() {
            String id = submit(guarded.url(), "noop", "{}");

            var without = taskctl("ls", "--api-url", guarded.url());
            var with = CliRun.run(Map.of("TASKCTL_API_TOKEN", TOKEN), "", "ls", "--api-url", guarded.url(), "-o", "jsonl");

            assertThat(without.code()).isEqualTo(5);
            assertThat(without.err()).startsWith("taskctl: list failed: HTTP 401 — this route needs a bearer token");
            assertThat(without.err().lines().count()).isEqualTo(1);
            assertThat(with.code()).as(with.err()).isZero();
            assertThat(ids(with.out())).contains(id);
        }

        @Test
        void watch_refuses_json_all_and_cursor() {
            assertThat(taskctl("ls", "--api-url", url, "--watch", "-o", "json").err())
                    .isEqualTo("taskctl: --watch prints one record per change: use -o jsonl (or text), not -o json\n");
            assertThat(taskctl("ls", "--api-url", url, "--watch", "--all").code()).isEqualTo(2);
            assertThat(taskctl("ls", "--api-url", url, "--watch", "--cursor", "x").code()).isEqualTo(2);
        }
    }

    /** {@code ls --watch} runs until interrupted; these run it on a thread and interrupt it, as Ctrl-C would end it. */
    @Nested
    class Watch {
        record Running(CompletableFuture<Integer> code, StringWriter out, Thread thread) {
            String output() {
                synchronized (out.getBuffer()) {
                    return out.toString();
                }
            }

            int stop() throws Exception {
                thread.interrupt();
                return code.get(20, TimeUnit.SECONDS);
            }
        }

        Running start(boolean terminal, String... args) {
            StringWriter out = new StringWriter();
            CompletableFuture<Integer> code = new CompletableFuture<>();
            AtomicReference<Thread> thread = new AtomicReference<>();
            CliEnvironment env = new CliEnvironment(Map.of(), () -> new ByteArrayInputStream(new byte[0]), terminal, terminal);
            Thread t = Thread.ofPlatform().start(() -> code.complete(Main.run(env, new PrintWriter(out), new PrintWriter(new StringWriter()), args)));
            thread.set(t);
            return new Running(code, out, t);
        }

        @Test
        void off_a_terminal_prints_one_line_per_new_or_changed_task_and_ctrl_c_exits_130() throws Exception {
            Running watch = start(false, "ls", "--watch", "--api-url", url, "--interval", "200ms", "--type", "noop");
            String id = submit(url, "noop", "{}");

            Eventually.await("the line of the new task", Duration.ofSeconds(20),
                    () -> watch.output().contains(id + "  noop  SUCCEEDED  100% done"));
            String seen = watch.output();
            Thread.sleep(600);
            assertThat(watch.output()).as("nothing changed, nothing printed").isEqualTo(seen);
            assertThat(watch.stop()).isEqualTo(130);
            assertThat(seen).doesNotContain("\u001b");
            assertThat(seen.lines()).allMatch(l -> l.matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ  \\S{36}  noop  \\S+.*"));
        }

        @Test
        void jsonl_prints_one_task_view_per_change() throws Exception {
            Running watch = start(false, "ls", "--watch", "--api-url", url, "--interval", "200ms", "-o", "jsonl", "--type", "noop");
            String id = submit(url, "noop", "{}");

            Eventually.await("the view of the new task", Duration.ofSeconds(20),
                    () -> watch.output().contains("\"task_id\":\"" + id + "\",\"task_type\":\"noop\",\"status\":\"SUCCEEDED\""));
            assertThat(watch.stop()).isEqualTo(130);
            Set<String> statuses = new HashSet<>();
            watch.output().lines().map(Json::read).filter(t -> t.get("task_id").asText().equals(id))
                    .forEach(t -> statuses.add(t.get("status").asText()));
            assertThat(statuses).contains("SUCCEEDED");
        }

        @Test
        void on_a_terminal_redraws_the_table_in_place() throws Exception {
            Running watch = start(true, "ls", "--watch", "--api-url", url, "--interval", "200ms", "--status", "running");

            Eventually.await("three frames", Duration.ofSeconds(20), () -> watch.output().split("\u001b\\[H", -1).length > 3);
            assertThat(watch.stop()).isEqualTo(130);
            String[] frames = watch.output().split("\u001b\\[H", -1);
            String last = frames[frames.length - 1];
            assertThat(frames[1]).startsWith("\u001b[2J");
            assertThat(last).contains("Every 200ms (faster after a change): taskctl ls --api-url " + url + " --status running");
            assertThat(last).contains("TASK ID", slow, "RUNNING").doesNotContain(quick).endsWith("\u001b[J");
        }
    }
}
