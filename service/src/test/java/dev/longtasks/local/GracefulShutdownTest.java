package dev.longtasks.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.longtasks.config.ServiceSettings;
import dev.longtasks.task.Task;
import dev.longtasks.task.TaskError;
import dev.longtasks.task.TaskStatus;
import dev.longtasks.testing.Eventually;
import dev.longtasks.testing.Systems;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Stopping the local service never leaves a task RUNNING or PENDING without saying so. */
class GracefulShutdownTest {

    @Nested
    class InProcess {
        @Test
        void a_running_task_past_the_grace_and_a_queued_task_both_end_failed_shutdown() throws IOException {
            var env = Systems.env("PORT", "0", "TASKS_WORKERS", "1");
            LocalMain.Running running = LocalMain.start(ServiceSettings.fromEnv(env), env);
            HttpCalls http = new HttpCalls(running.port());
            String slow = http.submit("/v1/example/process-task", "{\"data\":{\"steps\":100,\"step_ms\":100}}");
            String queued = http.submit("/v1/example/process-task", "{\"data\":{\"steps\":1,\"step_ms\":0}}");
            Eventually.until(() -> http.task(slow), t -> t.get("status").asText().equals("RUNNING"), "RUNNING");

            running.stop(Duration.ofMillis(200));

            Task s = running.system().store().get(slow).orElseThrow();
            Task q = running.system().store().get(queued).orElseThrow();
            assertThat(s.status()).isEqualTo(TaskStatus.FAILED);
            assertThat(s.error().type()).isEqualTo(TaskError.SHUTDOWN);
            assertThat(q.status()).isEqualTo(TaskStatus.FAILED);
            assertThat(q.error().type()).isEqualTo(TaskError.SHUTDOWN);
            assertThatThrownBy(() -> http.get("/v1/health")).isInstanceOf(UncheckedIOException.class);
        }

        @Test
        void a_running_task_that_fits_in_the_grace_succeeds() throws IOException {
            var env = Systems.env("PORT", "0", "TASKS_WORKERS", "2");
            LocalMain.Running running = LocalMain.start(ServiceSettings.fromEnv(env), env);
            HttpCalls http = new HttpCalls(running.port());
            String quick = http.submit("/v1/example/process-task", "{\"data\":{\"steps\":3,\"step_ms\":100}}");
            Eventually.until(() -> http.task(quick), t -> t.get("status").asText().equals("RUNNING"), "RUNNING");

            running.stop(Duration.ofSeconds(10));

            assertThat(running.system().store().get(quick).orElseThrow().status()).isEqualTo(TaskStatus.SUCCEEDED);
        }
    }

    @Nested
    class AsAProcess {
        private static final Pattern LISTENING = Pattern.compile("listening on http://localhost:(\\d+)");

        @Test
        void sigterm_fails_the_running_task_explicitly_and_logs_each_request(@TempDir Path dir) throws Exception {
            String java = ProcessHandle.current().info().command().orElse("java");
            Path log = dir.resolve("server.log");
            ProcessBuilder pb = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                    LocalMain.class.getName());
            pb.environment().put("PORT", "0");
            pb.environment().put("TASKS_SHUTDOWN_GRACE_SECONDS", "0");
            // A file, not a pipe: the JDK drains a pipe when the process exits and can drop the last lines.
            pb.redirectErrorStream(true).redirectOutput(log.toFile());
            Process p = pb.start();
            try {
                int port = Eventually.until(() -> port(log), n -> n > 0, "the server to print its port");
                HttpCalls http = new HttpCalls(port);
                String id = http.submit("/v1/example/process-task", "{\"data\":{\"steps\":100,\"step_ms\":100}}");
                Eventually.until(() -> http.task(id), t -> t.get("status").asText().equals("RUNNING"), "RUNNING");

                p.destroy(); // SIGTERM

                assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
                List<String> lines = Files.readAllLines(log);
                assertThat(p.exitValue()).as("exit code after SIGTERM; output: %s", lines).isEqualTo(143);
                assertThat(lines).anyMatch(l -> l.contains("task " + id + " attempt 1 ended FAILED"));
                assertThat(lines).anyMatch(l -> l.matches(".*POST /v1/example/process-task 202 \\d+ms 50B.*"));
                assertThat(lines).anyMatch(l -> l.matches(".*GET /v1/tasks/" + id + " 200 \\d+ms \\d+B.*"));
                assertThat(lines).anyMatch(l -> l.contains("LocalMain - stopped"));
            } finally {
                p.destroyForcibly();
            }
        }

        private static int port(Path log) {
            try {
                for (String line : Files.readAllLines(log)) {
                    Matcher m = LISTENING.matcher(line);
                    if (m.find()) {
                        return Integer.parseInt(m.group(1));
                    }
                }
                return -1;
            } catch (IOException e) {
                return -1;
            }
        }
    }
}
