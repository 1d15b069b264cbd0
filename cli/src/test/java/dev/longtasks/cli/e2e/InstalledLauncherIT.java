package dev.longtasks.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.longtasks.json.Json;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * End to end, as a user runs it: the real install.sh installs the jar this build just made
 * (TASKCTL_JAR skips only the Maven build, which is already running) into a temporary PREFIX,
 * with its launcher and AOT/CDS cache. Every command below runs that installed bin/taskctl as a
 * separate process, in bash pipelines, against `taskctl dev` started from the same launcher on a
 * random port.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class InstalledLauncherIT {
    static final Executor READERS = Executors.newVirtualThreadPerTaskExecutor();
    static final Pattern LISTENING = Pattern.compile("listening on (http://localhost:\\d+)");
    Path prefix;
    Path taskctl;
    Process dev;
    String url;

    @BeforeAll
    void installAndStartDev() throws Exception {
        Path repo = Path.of(System.getProperty("taskctl.repo")).toRealPath();
        prefix = Files.createTempDirectory("taskctl-prefix");
        Result install = run(repo, Map.of("PREFIX", prefix.toString(), "TASKCTL_JAR", System.getProperty("taskctl.jar")),
                "./install.sh");
        assertThat(install.code()).as(install.err()).isZero();
        assertThat(install.err()).contains("installed: " + prefix.resolve("bin/taskctl"));
        taskctl = prefix.resolve("bin/taskctl");

        dev = new ProcessBuilder(taskctl.toString(), "dev", "--port", "0").redirectErrorStream(true).start();
        BufferedReader log = new BufferedReader(new InputStreamReader(dev.getInputStream(), StandardCharsets.UTF_8));
        for (String line = log.readLine(); line != null; line = log.readLine()) {
            Matcher m = LISTENING.matcher(line);
            if (m.find()) {
                url = m.group(1);
                break;
            }
        }
        assertThat(url).as("taskctl dev printed where it listens").isNotNull();
        // Keep draining the server's log so it never blocks on a full pipe (own thread: the common
        // pool may have a single thread on a small machine, and the readers below need it).
        Thread.ofVirtual().start(() -> log.lines().forEach(l -> { }));
    }

    @AfterAll
    void stop() throws Exception {
        if (dev != null) {
            dev.destroy();
            dev.waitFor(15, TimeUnit.SECONDS);
        }
        try (var files = Files.walk(prefix)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    record Result(int code, String out, String err) {
    }

    Result sh(String script) throws Exception {
        return run(prefix, Map.of("T", taskctl.toString(), "U", url), "bash", "-c", "set -o pipefail; " + script);
    }

    static Result run(Path dir, Map<String, String> env, String... cmd) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile());
        pb.environment().remove("NO_COLOR");
        pb.environment().putAll(env);
        Process p = pb.start();
        p.getOutputStream().close();
        CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> read(p.getInputStream()), READERS);
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(p.getErrorStream()), READERS);
        assertThat(p.waitFor(5, TimeUnit.MINUTES)).as("finished: " + String.join(" ", cmd)).isTrue();
        return new Result(p.exitValue(), out.get(), err.get());
    }

    static String read(InputStream in) {
        try {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Nested
    class Pipelines {
        @Test
        void submit_piped_into_watch_exits_0_and_prints_the_record() throws Exception {
            var r = sh("echo '{\"steps\":2}' | \"$T\" submit --api-url \"$U\" - | \"$T\" watch --api-url \"$U\" - -o json");
            assertThat(r.code()).as(r.err()).isZero();
            var rec = Json.read(r.out());
            assertThat(rec.get("status").asText()).isEqualTo("SUCCEEDED");
            assertThat(rec.at("/result/steps_completed").asInt()).isEqualTo(2);
            assertThat(r.out() + r.err()).as("piped output has no ANSI escapes").doesNotContain("\u001b");
        }

        @Test
        void the_text_record_of_a_pipeline_has_no_escapes_either() throws Exception {
            var r = sh("echo '{\"steps\":1,\"step_ms\":0}' | \"$T\" submit --api-url \"$U\" - | \"$T\" watch --api-url \"$U\" -");
            assertThat(r.code()).isZero();
            assertThat(r.out()).startsWith("TASK ID").contains("SUCCEEDED").doesNotContain("\u001b");
            assertThat(r.err()).doesNotContain("\u001b", "\r");
        }

        @Test
        void a_failing_task_exits_1() throws Exception {
            var r = sh("\"$T\" submit --api-url \"$U\" --data '{\"steps\":2,\"step_ms\":10,\"fail_at_step\":1}' --wait -q");
            assertThat(r.code()).isEqualTo(1);
            assertThat(r.out()).contains("FAILED", "ExampleStepFailedException");
        }

        @Test
        void an_unknown_id_exits_3() throws Exception {
            var r = sh("\"$T\" watch --api-url \"$U\" 3f1c9e0a-1111-4111-8111-111111111111");
            assertThat(r.code()).isEqualTo(3);
            assertThat(r.out()).isEmpty();
            assertThat(r.err()).isEqualTo("taskctl: task 3f1c9e0a-1111-4111-8111-111111111111 not found: unknown or expired id "
                    + "(tasks are kept 1 h after their last update)\n");
        }

        @Test
        void a_timeout_on_a_slow_task_exits_4() throws Exception {
            var r = sh("id=$(\"$T\" submit --api-url \"$U\" --data '{\"steps\":100,\"step_ms\":100}') && "
                    + "{ \"$T\" watch --api-url \"$U\" --timeout 1s \"$id\"; code=$?; \"$T\" cancel --api-url \"$U\" -q \"$id\" >/dev/null; exit $code; }");
            assertThat(r.code()).isEqualTo(4);
            assertThat(r.err()).contains("taskctl: timed out after ").contains("or raise --timeout");
        }

        @Test
        void an_invalid_json_file_exits_2_with_one_line_and_submits_nothing() throws Exception {
            Files.writeString(prefix.resolve("bad.json"), "{\"steps\": }");
            var r = sh("\"$T\" submit --api-url \"$U\" bad.json");
            assertThat(r.code()).isEqualTo(2);
            assertThat(r.out()).isEmpty();
            assertThat(r.err()).startsWith("taskctl: invalid JSON in bad.json at line 1 column 11: ")
                    .endsWith("— nothing was submitted\n");
            assertThat(r.err().lines().count()).isEqualTo(1);
        }

        @Test
        void version_comes_from_the_build() throws Exception {
            var r = sh("\"$T\" --version");
            assertThat(r.code()).isZero();
            assertThat(r.out()).matches("taskctl \\d+\\.\\d+\\.\\d+.*\n");
        }
    }

    /** The release's promises through the installed launcher (added with the release work, issue 7). */
    @Nested
    class Release {
        @Test
        void http_check_submitted_with_wait_ends_succeeded() throws Exception {
            var r = sh("\"$T\" submit --api-url \"$U\" --type http-check --wait -o json "
                    + "--data \"{\\\"url\\\":\\\"$U/v1/health\\\",\\\"probes\\\":3,\\\"interval_ms\\\":100}\" | tail -n +2");
            assertThat(r.code()).as(r.err()).isZero();
            var rec = Json.read(r.out());
            assertThat(rec.get("task_type").asText()).isEqualTo("http-check");
            assertThat(rec.get("status").asText()).isEqualTo("SUCCEEDED");
            assertThat(rec.at("/result/status_codes").toString()).isEqualTo("{\"200\":3}");
        }

        @Test
        void taskctl_version_and_the_services_health_report_the_same_version() throws Exception {
            var r = sh("\"$T\" --version");
            var health = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url + "/v1/health")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.code()).as(r.err()).isZero();
            assertThat(health.statusCode()).isEqualTo(200);
            assertThat(r.out()).isEqualTo("taskctl " + Json.read(health.body()).get("version").asText() + "\n");
        }
    }

    /** On a terminal (a pseudo-terminal from util-linux `script`): colour, unless NO_COLOR is set. */
    @Nested
    class On_a_terminal {
        String onTty(String command) throws Exception {
            assumeTrue(Files.isExecutable(Path.of("/usr/bin/script")), "util-linux `script` is not installed");
            var r = sh("script -qec " + shellQuote(command) + " /dev/null");
            return r.out();
        }

        String doneTask() throws Exception {
            return sh("\"$T\" submit --api-url \"$U\" --data '{\"steps\":1,\"step_ms\":0}' --wait -q >/dev/null; "
                    + "\"$T\" submit --api-url \"$U\" --data '{\"steps\":1,\"step_ms\":0}'").out().trim();
        }

        @Test
        void status_colours_the_state_column() throws Exception {
            String id = doneTask();
            sh("\"$T\" watch --api-url \"$U\" -q " + id);
            String out = onTty("\"$T\" status --api-url \"$U\" " + id);
            assertThat(out).contains("SUCCEEDED").contains("\u001b[");
        }

        @Test
        void no_color_turns_every_escape_off() throws Exception {
            String id = doneTask();
            sh("\"$T\" watch --api-url \"$U\" -q " + id);
            String out = onTty("NO_COLOR=1 \"$T\" status --api-url \"$U\" " + id);
            assertThat(out).contains("SUCCEEDED").doesNotContain("\u001b");
            String noColorFlag = onTty("\"$T\" status --no-color --api-url \"$U\" " + id);
            assertThat(noColorFlag).contains("SUCCEEDED").doesNotContain("\u001b");
        }

        @Test
        void watch_redraws_a_coloured_live_line_in_place() throws Exception {
            String out = onTty("\"$T\" submit --api-url \"$U\" --data '{\"steps\":3,\"step_ms\":200}' --wait");
            assertThat(out).contains("\u001b[2K", "\u001b[32", "SUCCEEDED");
        }

        @Test
        void watch_with_no_color_redraws_with_carriage_returns_and_no_escape_at_all() throws Exception {
            String out = onTty("NO_COLOR=1 \"$T\" submit --api-url \"$U\" --data '{\"steps\":3,\"step_ms\":200}' --wait");
            assertThat(out).contains("\rRUNNING", "SUCCEEDED").doesNotContain("\u001b");
        }

        private static String shellQuote(String s) {
            return "'" + s.replace("'", "'\\''") + "'";
        }
    }

    static List<String> lines(String s) {
        return new ArrayList<>(s.lines().toList());
    }
}
