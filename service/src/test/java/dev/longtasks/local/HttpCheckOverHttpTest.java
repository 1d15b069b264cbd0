package dev.longtasks.local;

import static dev.longtasks.local.HttpCalls.json;
import static dev.longtasks.local.HttpCalls.text;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.longtasks.config.ServiceSettings;
import dev.longtasks.testing.Eventually;
import dev.longtasks.testing.Systems;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The http-check task type end to end on the real local server: submitted over HTTP, run by the
 * in-process listener, polled to its end. It probes the server's own /v1/health.
 */
class HttpCheckOverHttpTest {
    private static LocalMain.Running running;
    private static HttpCalls http;
    private static String base;

    @BeforeAll
    static void start() throws IOException {
        var env = Systems.env("PORT", "0", "TASKS_WORKERS", "4");
        running = LocalMain.start(ServiceSettings.fromEnv(env), env);
        http = new HttpCalls(running.port());
        base = "http://127.0.0.1:" + running.port();
    }

    @AfterAll
    static void stop() {
        running.stop(Duration.ZERO);
    }

    private static JsonNode awaitStatus(String id, String status) {
        return Eventually.until(() -> http.task(id), t -> t.get("status").asText().equals(status), status);
    }

    @Nested
    class Submitted_over_http {
        @Test
        void probes_the_health_route_and_succeeds_with_status_codes_and_latency() {
            String id = http.submit("/v1/tasks",
                    "{\"type\":\"http-check\",\"data\":{\"url\":\"" + base + "/v1/health\",\"probes\":3,\"interval_ms\":50}}");

            JsonNode task = awaitStatus(id, "SUCCEEDED");

            assertThat(task.get("task_type").asText()).isEqualTo("http-check");
            JsonNode result = task.get("result");
            assertThat(result.get("status_codes").toString()).isEqualTo("{\"200\":3}");
            assertThat(result.get("all_healthy").asBoolean()).isTrue();
            assertThat(result.get("latency_ms").get("p50").isIntegralNumber()).isTrue();
            assertThat(task.get("progress").get("percent").asInt()).isEqualTo(100);
            assertThat(task.get("progress").get("message").asText()).startsWith("probe 3 of 3: 200 in ");
        }

        @Test
        void ends_failed_with_a_summary_when_require_healthy_meets_a_404() {
            String id = http.submit("/v1/tasks", "{\"type\":\"http-check\",\"data\":{\"url\":\"" + base
                    + "/v1/no-such-route\",\"probes\":2,\"interval_ms\":0,\"require_healthy\":true}}");

            JsonNode task = awaitStatus(id, "FAILED");

            assertThat(task.get("error").get("type").asText()).isEqualTo("HttpCheckFailedException");
            assertThat(task.get("error").get("message").asText())
                    .isEqualTo(base + "/v1/no-such-route: 0 of 2 probes healthy (404 x2)");
        }

        @Test
        void is_cancelled_by_delete_while_it_runs() {
            String id = http.submit("/v1/tasks", "{\"type\":\"http-check\",\"data\":{\"url\":\"" + base
                    + "/v1/health\",\"probes\":50,\"interval_ms\":1000}}");
            Eventually.until(() -> http.task(id), t -> t.get("progress").isObject(), "the first probe's progress");

            assertThat(http.delete("/v1/tasks/" + id).statusCode()).isEqualTo(202);
            JsonNode task = awaitStatus(id, "CANCELLED");

            assertThat(task.get("progress").get("percent").asInt()).isLessThan(100);
        }
    }

    @Nested
    class Refused_before_anything_is_stored {
        @Test
        void a_url_with_another_scheme_gets_a_400_problem_naming_the_field() {
            HttpResponse<byte[]> r = http.postJson("/v1/tasks",
                    "{\"type\":\"http-check\",\"data\":{\"url\":\"file:///etc/passwd\"}}");

            assertThat(r.statusCode()).as(text(r)).isEqualTo(400);
            assertThat(r.headers().firstValue("Content-Type")).hasValue("application/problem+json");
            assertThat(json(r).get("type").asText()).isEqualTo("https://longtasks.dev/problems/invalid-task-input");
            assertThat(json(r).get("detail").asText()).isEqualTo("'data.url' must use http or https, not 'file'");
        }

        @Test
        void too_many_probes_get_a_400_with_the_bounds() {
            HttpResponse<byte[]> r = http.postJson("/v1/tasks",
                    "{\"type\":\"http-check\",\"data\":{\"url\":\"" + base + "/v1/health\",\"probes\":1000}}");

            assertThat(r.statusCode()).isEqualTo(400);
            assertThat(json(r).get("detail").asText()).isEqualTo("'data.probes' must be an integer from 1 to 50");
        }
    }
}
