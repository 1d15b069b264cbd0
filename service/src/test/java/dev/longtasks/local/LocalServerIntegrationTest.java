package dev.longtasks.local;

import static dev.longtasks.local.HttpCalls.json;
import static dev.longtasks.local.HttpCalls.text;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.longtasks.config.ServiceSettings;
import dev.longtasks.testing.Eventually;
import dev.longtasks.testing.Systems;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The real local server on a random loopback port, spoken to over HTTP. */
class LocalServerIntegrationTest {
    private static LocalMain.Running running;
    private static HttpCalls http;

    @BeforeAll
    static void start() throws IOException {
        var env = Systems.env("PORT", "0", "TASKS_WORKERS", "8");
        running = LocalMain.start(ServiceSettings.fromEnv(env), env);
        http = new HttpCalls(running.port());
    }

    @AfterAll
    static void stop() {
        running.stop(Duration.ZERO);
    }

    static void assertProblem(HttpResponse<byte[]> r, int status, String slug) {
        assertThat(r.statusCode()).as(text(r)).isEqualTo(status);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(json(r).get("type").asText()).isEqualTo("https://longtasks.dev/problems/" + slug);
    }

    @Nested
    class HappyPath {
        @Test
        void a_task_shows_running_with_increasing_progress_then_succeeded_with_its_result() {
            String id = http.submit("/v1/example/process-task", "{\"data\":{\"steps\":8,\"step_ms\":100}}");

            List<Integer> runningPercents = new ArrayList<>();
            JsonNode last = Eventually.until(() -> {
                JsonNode t = http.task(id);
                if (t.get("status").asText().equals("RUNNING") && t.get("progress").isObject()) {
                    runningPercents.add(t.get("progress").get("percent").asInt());
                }
                return t;
            }, t -> t.get("status").asText().equals("SUCCEEDED"), "SUCCEEDED");

            assertThat(runningPercents).isNotEmpty().isSorted();
            assertThat(runningPercents.stream().distinct().count()).isGreaterThan(1);
            assertThat(last.get("result").get("steps_completed").asInt()).isEqualTo(8);
            assertThat(last.get("result").get("data_sha256").asText()).matches("[0-9a-f]{64}");
            assertThat(last.get("progress").get("percent").asInt()).isEqualTo(100);
        }

        @Test
        void the_submit_answer_carries_location_and_retry_after() {
            HttpResponse<byte[]> r = http.postJson("/v1/example/process-task", "{\"data\":{\"steps\":1,\"step_ms\":0}}");

            assertThat(r.statusCode()).isEqualTo(202);
            String id = json(r).get("task_id").asText();
            assertThat(r.headers().firstValue("Location")).hasValue("/v1/tasks/" + id);
            assertThat(r.headers().firstValue("Retry-After")).hasValue("1");
            assertThat(http.get(r.headers().firstValue("Location").orElseThrow()).statusCode()).isEqualTo(200);
        }

        @Test
        void health_answers_ok() {
            HttpResponse<byte[]> r = http.get("/v1/health");

            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(json(r).get("status").asText()).isEqualTo("ok");
        }
    }

    @Nested
    class FailurePath {
        @Test
        void fail_at_step_ends_failed_with_error_type_and_message() {
            String id = http.submit("/v1/example/process-task", "{\"data\":{\"steps\":3,\"step_ms\":10,\"fail_at_step\":2}}");

            JsonNode t = Eventually.until(() -> http.task(id), v -> v.get("status").asText().equals("FAILED"), "FAILED");

            assertThat(t.get("error").get("type").asText()).isEqualTo("ExampleStepFailedException");
            assertThat(t.get("error").get("message").asText()).isEqualTo("step 2 of 3 failed, as requested by fail_at_step");
            assertThat(t.get("result").isNull()).isTrue();
        }
    }

    @Nested
    class Cancel {
        @Test
        void a_running_task_is_cancelled() {
            String id = http.submit("/v1/example/process-task", "{\"data\":{\"steps\":1000,\"step_ms\":20}}");
            Eventually.until(() -> http.task(id), v -> v.get("status").asText().equals("RUNNING"), "RUNNING");

            HttpResponse<byte[]> r = http.delete("/v1/tasks/" + id);

            assertThat(r.statusCode()).isEqualTo(202);
            assertThat(json(r).get("cancel_requested").asBoolean()).isTrue();
            Eventually.until(() -> http.task(id), v -> v.get("status").asText().equals("CANCELLED"), "CANCELLED");
        }

        @Test
        void a_pending_task_is_cancelled_at_once() throws IOException {
            var env = Systems.env("PORT", "0", "TASKS_WORKERS", "1");
            LocalMain.Running one = LocalMain.start(ServiceSettings.fromEnv(env), env);
            try {
                HttpCalls c = new HttpCalls(one.port());
                String busy = c.submit("/v1/example/process-task", "{\"data\":{\"steps\":1000,\"step_ms\":50}}");
                String waiting = c.submit("/v1/example/process-task", "{\"data\":{\"steps\":1,\"step_ms\":0}}");
                Eventually.until(() -> c.task(busy), v -> v.get("status").asText().equals("RUNNING"), "RUNNING");

                HttpResponse<byte[]> r = c.delete("/v1/tasks/" + waiting);

                assertThat(r.statusCode()).isEqualTo(200);
                assertThat(json(r).get("status").asText()).isEqualTo("CANCELLED");
                assertThat(c.task(waiting).get("attempt").asInt()).isZero();
            } finally {
                one.stop(Duration.ZERO);
            }
        }
    }

    @Nested
    class BadInput {
        @Test
        void malformed_json_is_400() {
            assertProblem(http.postJson("/v1/example/process-task", "{nope"), 400, "malformed-json");
        }

        @Test
        void missing_data_is_400() {
            assertProblem(http.postJson("/v1/example/process-task", "{\"steps\":1}"), 400, "missing-data");
        }

        @Test
        void a_form_body_is_415() {
            HttpResponse<byte[]> r = http.send(http.request("/v1/example/process-task")
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(BodyPublishers.ofString("data=1")).build());

            assertProblem(r, 415, "unsupported-media-type");
        }

        @Test
        void a_body_over_256_kb_is_413() {
            String big = "{\"data\":{\"pad\":\"" + "x".repeat(300 * 1024) + "\"}}";

            assertProblem(http.postJson("/v1/example/process-task", big), 413, "payload-too-large");
        }

        @Test
        void an_unknown_task_type_is_400() {
            assertProblem(http.postJson("/v1/tasks", "{\"type\":\"nope\",\"data\":{}}"), 400, "unknown-task-type");
        }

        @Test
        void unknown_and_malformed_ids_are_404_and_400() {
            assertProblem(http.get("/v1/tasks/" + UUID.randomUUID()), 404, "task-not-found");
            assertProblem(http.get("/v1/tasks/xyz"), 400, "invalid-task-id");
        }

        @Test
        void unknown_routes_are_404_and_wrong_methods_405() {
            assertProblem(http.get("/v1/nothing-here"), 404, "not-found");
            HttpResponse<byte[]> r = http.send(http.request("/v1/health").PUT(BodyPublishers.noBody()).build());
            assertProblem(r, 405, "method-not-allowed");
            assertThat(r.headers().firstValue("Allow")).hasValue("GET, OPTIONS");
        }
    }

    @Nested
    class Cors {
        @Test
        void an_https_origin_is_echoed() {
            HttpResponse<byte[]> r = http.get("/v1/health", "Origin", "https://example.com");

            assertThat(r.headers().firstValue("Access-Control-Allow-Origin")).hasValue("https://example.com");
            assertThat(r.headers().firstValue("Access-Control-Allow-Credentials")).isEmpty();
        }

        @Test
        void an_ftp_origin_is_not() {
            assertThat(http.get("/v1/health", "Origin", "ftp://x").headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
        }

        @Test
        void options_preflight_answers_204() {
            HttpResponse<byte[]> r = http.send(http.request("/v1/example/process-task")
                    .method("OPTIONS", BodyPublishers.noBody())
                    .header("Origin", "https://example.com")
                    .header("Access-Control-Request-Method", "POST")
                    .header("Access-Control-Request-Headers", "content-type").build());

            assertThat(r.statusCode()).isEqualTo(204);
            assertThat(r.headers().firstValue("Access-Control-Allow-Origin")).hasValue("https://example.com");
            assertThat(r.headers().firstValue("Access-Control-Allow-Methods").orElseThrow()).contains("POST");
        }
    }

    @Nested
    class Gzip {
        @Test
        void the_openapi_document_comes_gzipped_when_accepted() throws IOException {
            HttpResponse<byte[]> r = http.get("/v1/openapi.json", "Accept-Encoding", "gzip");

            assertThat(r.headers().firstValue("Content-Encoding")).hasValue("gzip");
            byte[] inflated;
            try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(r.body()))) {
                inflated = in.readAllBytes();
            }
            assertThat(new String(inflated, StandardCharsets.UTF_8)).contains("\"openapi\": \"3.1.0\"");
        }

        @Test
        void a_gzip_request_body_is_accepted() throws IOException {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
                gz.write("{\"type\":\"noop\",\"data\":{}}".getBytes(StandardCharsets.UTF_8));
            }
            HttpResponse<byte[]> r = http.send(http.request("/v1/tasks")
                    .header("Content-Type", "application/json").header("Content-Encoding", "gzip")
                    .POST(BodyPublishers.ofByteArray(out.toByteArray())).build());

            assertThat(r.statusCode()).as(text(r)).isEqualTo(202);
        }
    }
}
