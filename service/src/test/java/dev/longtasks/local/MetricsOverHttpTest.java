package dev.longtasks.local;

import static dev.longtasks.local.HttpCalls.json;
import static dev.longtasks.local.HttpCalls.text;
import static dev.longtasks.local.LocalServerIntegrationTest.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import dev.longtasks.config.ServiceSettings;
import dev.longtasks.testing.Eventually;
import dev.longtasks.testing.PrometheusTextParser;
import dev.longtasks.testing.PrometheusTextParser.Sample;
import dev.longtasks.testing.Systems;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /metrics} through the real local server: read by the Prometheus project's own text
 * parser, with values that follow the tasks really run, and guarded as the list routes are.
 */
class MetricsOverHttpTest {
    static final String TOKEN = "metrics-" + UUID.randomUUID();

    private static LocalMain.Running start(Map<String, String> env) throws IOException {
        return LocalMain.start(ServiceSettings.fromEnv(env), env);
    }

    /** The value of the one sample named {@code name} with exactly these labels (0 when absent). */
    static double value(List<Sample> samples, String name, String... labels) {
        Map<String, String> want = new java.util.TreeMap<>();
        for (int i = 0; i + 1 < labels.length; i += 2) {
            want.put(labels[i], labels[i + 1]);
        }
        return samples.stream().filter(s -> s.name().equals(name) && s.labels().equals(want))
                .mapToDouble(Sample::value).findFirst().orElse(0);
    }

    @Nested
    class On_the_local_stage {
        @Test
        void is_open_and_its_counters_and_histograms_follow_the_tasks_that_ran() throws IOException {
            Map<String, String> env = Systems.env("API_STAGE", "local", "PORT", "0", "TASKS_WORKERS", "2");
            LocalMain.Running running = start(env);
            try {
                HttpCalls http = new HttpCalls(running.port());
                List<Sample> before = PrometheusTextParser.parse(text(http.get("/metrics")));
                assertThat(value(before, "longtasks_tasks_submitted_total", "type", "noop")).isZero();

                int n = 5;
                List<String> ids = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    ids.add(http.submit("/v1/tasks", "{\"type\":\"noop\",\"data\":{}}"));
                }
                ids.add(http.submit("/v1/example/process-task", "{\"data\":{\"steps\":2,\"step_ms\":0,\"fail_at_step\":1}}"));
                String slow = http.submit("/v1/example/process-task", "{\"data\":{\"steps\":50,\"step_ms\":200}}");
                Eventually.await("the slow task runs", Eventually.LIMIT,
                        () -> http.task(slow).get("status").asText().equals("RUNNING"));
                assertThat(http.delete("/v1/tasks/" + slow).statusCode()).isEqualTo(202);
                ids.add(slow);
                for (String id : ids) {
                    Eventually.await("task " + id + " ends", Eventually.LIMIT,
                            () -> List.of("SUCCEEDED", "FAILED", "CANCELLED").contains(http.task(id).get("status").asText()));
                }

                HttpResponse<byte[]> r = http.get("/metrics");
                assertThat(r.statusCode()).isEqualTo(200);
                assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(
                        t -> assertThat(t).startsWith("text/plain; version=0.0.4"));
                List<Sample> after = PrometheusTextParser.parse(text(r));

                assertThat(value(after, "longtasks_tasks_submitted_total", "type", "noop")).isEqualTo(n);
                assertThat(value(after, "longtasks_tasks_started_total", "type", "noop")).isEqualTo(n);
                assertThat(value(after, "longtasks_tasks_succeeded_total", "type", "noop")).isEqualTo(n);
                assertThat(value(after, "longtasks_tasks_submitted_total", "type", "example")).isEqualTo(2);
                assertThat(value(after, "longtasks_tasks_failed_total", "type", "example",
                        "error_type", "ExampleStepFailedException")).isEqualTo(1);
                assertThat(value(after, "longtasks_tasks_cancelled_total", "type", "example")).isEqualTo(1);
                // One queue wait per first claim, one run time per end; the histograms' buckets are cumulative.
                assertThat(value(after, "longtasks_task_queue_wait_seconds_count", "type", "noop")).isEqualTo(n);
                assertThat(value(after, "longtasks_task_run_seconds_count", "type", "noop")).isEqualTo(n);
                assertThat(value(after, "longtasks_task_run_seconds_bucket", "type", "noop", "le", "+Inf")).isEqualTo(n);
                assertThat(value(after, "longtasks_task_run_seconds_count", "type", "example")).isEqualTo(2);
                assertThat(value(after, "longtasks_task_run_seconds_sum", "type", "example")).isPositive();
                assertThat(after).anySatisfy(s -> assertThat(s.name()).isEqualTo("longtasks_reconciler_actions_total"));
                // JVM basics from the client's own instrumentation.
                assertThat(value(after, "jvm_memory_used_bytes", "area", "heap")).isPositive();
                assertThat(after).anySatisfy(s -> assertThat(s.name()).isEqualTo("jvm_threads_current"));
            } finally {
                running.stop(Duration.ZERO);
            }
        }
    }

    @Nested
    class A_self_hosted_server {
        @Test
        void needs_a_current_bearer_token_as_the_list_routes_do() throws IOException {
            String old = "metrics-old-" + UUID.randomUUID();
            Map<String, String> env = Systems.env("API_STAGE", "selfhosted", "PORT", "0", "TASKS_API_TOKEN", TOKEN);
            LocalMain.Running running = start(env);
            try {
                HttpCalls http = new HttpCalls(running.port());

                assertProblem(http.get("/metrics"), 401, "auth-required");
                assertProblem(http.get("/metrics", "Authorization", "Bearer " + old), 401, "invalid-credentials");
                HttpResponse<byte[]> ok = http.get("/metrics", "Authorization", "Bearer " + TOKEN);
                assertThat(ok.statusCode()).isEqualTo(200);
                assertThat(PrometheusTextParser.parse(text(ok))).isNotEmpty();
            } finally {
                running.stop(Duration.ZERO);
            }
        }

        @Test
        void without_any_token_switches_metrics_off_as_it_does_listing() throws IOException {
            LocalMain.Running running = start(Systems.env("API_STAGE", "selfhosted", "PORT", "0"));
            try {
                HttpResponse<byte[]> r = new HttpCalls(running.port()).get("/metrics");

                assertProblem(r, 403, "access-not-configured");
                assertThat(json(r).get("detail").asText()).contains("TASKS_API_TOKEN");
            } finally {
                running.stop(Duration.ZERO);
            }
        }
    }

    @Nested
    class A_worker {
        @Test
        void serves_only_metrics_on_TASKS_METRICS_PORT_with_the_same_token_rules() throws IOException {
            Map<String, String> env = Systems.env("API_STAGE", "selfhosted", "TASKS_ROLE", "worker",
                    "TASKS_METRICS_PORT", "0", "TASKS_API_TOKEN", TOKEN, "TASKS_WORKERS", "1");
            LocalMain.Running running = start(env);
            try {
                assertThat(running.port()).isEqualTo(-1);
                HttpCalls http = new HttpCalls(running.metricsPort());

                assertProblem(http.get("/metrics"), 401, "auth-required");
                HttpResponse<byte[]> ok = http.get("/metrics", "Authorization", "Bearer " + TOKEN);
                assertThat(ok.statusCode()).isEqualTo(200);
                assertThat(PrometheusTextParser.parse(text(ok)))
                        .anySatisfy(s -> assertThat(s.name()).isEqualTo("longtasks_tasks_started_total"));
                assertProblem(http.get("/v1/tasks"), 404, "not-found");
            } finally {
                running.stop(Duration.ZERO);
            }
        }

        @Test
        void has_no_metrics_server_without_TASKS_METRICS_PORT() throws IOException {
            LocalMain.Running running = start(Systems.env("API_STAGE", "selfhosted", "TASKS_ROLE", "worker",
                    "TASKS_WORKERS", "1"));
            try {
                assertThat(running.metricsPort()).isEqualTo(-1);
            } finally {
                running.stop(Duration.ZERO);
            }
        }

        @Test
        void refuses_a_TASKS_METRICS_PORT_that_is_no_port() {
            java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();

            int code = LocalMain.run(Systems.env("TASKS_ROLE", "worker", "TASKS_METRICS_PORT", "metrics"),
                    new java.io.PrintStream(err, true, java.nio.charset.StandardCharsets.UTF_8));

            assertThat(code).isEqualTo(2);
            assertThat(err.toString(java.nio.charset.StandardCharsets.UTF_8))
                    .isEqualTo("error: TASKS_METRICS_PORT=metrics must be a port number, 0..65535 (0: any free port)\n");
        }
    }
}
