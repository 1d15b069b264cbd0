package dev.longtasks.api;

import static dev.longtasks.api.ApiCalls.gzip;
import static dev.longtasks.api.ApiCalls.gunzip;
import static dev.longtasks.api.ApiCalls.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.longtasks.Version;
import dev.longtasks.testing.Eventually;
import dev.longtasks.testing.Systems;
import dev.longtasks.wiring.TaskSystem;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The HTTP core over a real memory store and in-process bus, called without a transport. */
class TaskApiTest {
    private TaskSystem system;
    private TaskApi api;
    private ApiCalls calls;

    @BeforeEach
    void start() {
        system = Systems.start("TASKS_WORKERS", "4");
        api = new TaskApi(system.service(), ApiOptions.from(system.settings()).withMaxBodyBytes(4096));
        calls = new ApiCalls(api);
    }

    @AfterEach
    void stop() {
        system.shutdown(Duration.ZERO);
    }

    static void assertProblem(HttpResponse r, int status, String slug) {
        assertThat(r.status()).as(r.bodyText()).isEqualTo(status);
        assertThat(r.header("Content-Type")).isEqualTo("application/problem+json");
        JsonNode p = json(r);
        assertThat(p.get("type").asText()).isEqualTo("https://longtasks.dev/problems/" + slug);
        assertThat(p.get("status").asInt()).isEqualTo(status);
        assertThat(p.get("title").asText()).isNotBlank();
        assertThat(p.get("detail").asText()).isNotBlank();
    }

    @Nested
    class Submitting {
        @Test
        void process_task_answers_202_with_the_task_id_location_and_retry_after() {
            HttpResponse r = calls.postJson("/v1/example/process-task", "{\"data\":{\"steps\":1,\"step_ms\":0}}");

            assertThat(r.status()).isEqualTo(202);
            String id = json(r).get("task_id").asText();
            assertThat(UUID.fromString(id).toString()).isEqualTo(id);
            assertThat(r.header("Location")).isEqualTo("/v1/tasks/" + id);
            assertThat(r.header("Retry-After")).isEqualTo("1");
            assertThat(r.header("Content-Type")).isEqualTo("application/json");
        }

        @Test
        void the_submitted_example_task_runs_to_succeeded_with_its_result_as_json() {
            String id = calls.submitExample("{\"steps\":2,\"step_ms\":1,\"k\":\"v\"}");

            JsonNode t = Eventually.until(() -> calls.task(id), v -> v.get("status").asText().equals("SUCCEEDED"), "SUCCEEDED");
            assertThat(t.get("task_type").asText()).isEqualTo("example");
            assertThat(t.get("result").get("steps_completed").asInt()).isEqualTo(2);
            assertThat(t.get("result").get("data_sha256").asText()).hasSize(64);
            assertThat(t.get("progress").get("percent").asInt()).isEqualTo(100);
            assertThat(t.get("attempt").asInt()).isEqualTo(1);
            assertThat(t.get("error").isNull()).isTrue();
        }

        @Test
        void post_tasks_accepts_any_registered_type() {
            HttpResponse r = calls.postJson("/v1/tasks", "{\"type\":\"noop\",\"data\":{}}");

            assertThat(r.status()).isEqualTo(202);
            String id = json(r).get("task_id").asText();
            JsonNode t = Eventually.until(() -> calls.task(id), v -> v.get("status").asText().equals("SUCCEEDED"), "SUCCEEDED");
            assertThat(t.get("task_type").asText()).isEqualTo("noop");
            assertThat(t.get("result").get("ok").asBoolean()).isTrue();
        }

        @Test
        void json_with_a_charset_and_vendor_json_types_are_accepted() {
            assertThat(calls.call("POST", "/v1/tasks", "{\"type\":\"noop\",\"data\":1}".getBytes(StandardCharsets.UTF_8),
                    "Content-Type", "application/json; charset=utf-8").status()).isEqualTo(202);
            assertThat(calls.call("POST", "/v1/tasks", "{\"type\":\"noop\",\"data\":1}".getBytes(StandardCharsets.UTF_8),
                    "Content-Type", "application/vnd.longtasks+json").status()).isEqualTo(202);
        }

        @Test
        void a_gzip_request_body_is_inflated() {
            byte[] body = gzip("{\"type\":\"noop\",\"data\":{\"x\":1}}".getBytes(StandardCharsets.UTF_8));
            HttpResponse r = calls.call("POST", "/v1/tasks", body, "Content-Type", "application/json", "Content-Encoding", "gzip");

            assertThat(r.status()).as(r.bodyText()).isEqualTo(202);
        }
    }

    @Nested
    class Idempotency {
        @Test
        void the_same_key_and_body_answers_the_same_task_again() {
            String body = "{\"data\":{\"steps\":1,\"step_ms\":0}}";
            HttpResponse first = calls.postJson("/v1/example/process-task", body, "Idempotency-Key", "k-1");
            HttpResponse second = calls.postJson("/v1/example/process-task", body, "Idempotency-Key", "k-1");

            assertThat(first.status()).isEqualTo(202);
            assertThat(second.status()).isEqualTo(202);
            assertThat(json(second).get("task_id")).isEqualTo(json(first).get("task_id"));
            assertThat(second.header("Location")).isEqualTo(first.header("Location"));
            assertThat(second.header("Idempotent-Replayed")).isEqualTo("true");
        }

        @Test
        void the_same_key_with_another_body_is_refused_with_422() {
            calls.postJson("/v1/example/process-task", "{\"data\":{\"a\":1}}", "Idempotency-Key", "k-2");
            HttpResponse r = calls.postJson("/v1/example/process-task", "{\"data\":{\"a\":2}}", "Idempotency-Key", "k-2");

            assertProblem(r, 422, "idempotency-conflict");
        }

        @Test
        void different_keys_make_different_tasks() {
            String body = "{\"data\":{}}";
            String a = json(calls.postJson("/v1/example/process-task", body, "Idempotency-Key", "k-3")).get("task_id").asText();
            String b = json(calls.postJson("/v1/example/process-task", body, "Idempotency-Key", "k-4")).get("task_id").asText();

            assertThat(a).isNotEqualTo(b);
        }

        @Test
        void an_overlong_key_is_refused_with_400() {
            HttpResponse r = calls.postJson("/v1/example/process-task", "{\"data\":{}}", "Idempotency-Key", "k".repeat(256));

            assertProblem(r, 400, "invalid-idempotency-key");
        }
    }

    @Nested
    class Reading {
        @Test
        void the_view_has_every_documented_field_with_iso_timestamps() {
            String id = calls.submitExample("{\"steps\":1,\"step_ms\":0}");
            JsonNode t = Eventually.until(() -> calls.task(id), v -> v.get("status").asText().equals("SUCCEEDED"), "SUCCEEDED");

            assertThat(t.fieldNames()).toIterable().containsExactly("task_id", "task_type", "status", "progress", "result",
                    "error", "attempt", "cancel_requested", "created_at", "updated_at", "started_at", "finished_at", "expires_at");
            Instant created = Instant.parse(t.get("created_at").asText());
            Instant expires = Instant.parse(t.get("expires_at").asText());
            assertThat(Instant.parse(t.get("finished_at").asText())).isAfterOrEqualTo(created);
            assertThat(Duration.between(created, expires)).isBetween(Duration.ofMinutes(59), Duration.ofMinutes(61));
            assertThat(t.get("expires_at").asText()).endsWith("Z");
        }

        @Test
        void an_unknown_id_is_404() {
            assertProblem(calls.get("/v1/tasks/" + UUID.randomUUID()), 404, "task-not-found");
        }

        @Test
        void an_id_that_is_not_a_uuid_is_400() {
            assertProblem(calls.get("/v1/tasks/not-a-uuid"), 400, "invalid-task-id");
            assertProblem(calls.call("DELETE", "/v1/tasks/123", null), 400, "invalid-task-id");
        }

        @Test
        void the_health_route_reports_ok_with_version_and_stage() {
            HttpResponse r = calls.get("/v1/health");

            assertThat(r.status()).isEqualTo(200);
            JsonNode h = json(r);
            assertThat(h.get("status").asText()).isEqualTo("ok");
            assertThat(h.get("stage").asText()).isEqualTo("test");
            assertThat(h.get("version").asText()).isEqualTo(Version.current()).isNotEqualTo("unknown");
        }

        @Test
        void the_docs_page_loads_swagger_ui_on_the_openapi_document() {
            HttpResponse page = calls.get("/v1/docs");
            HttpResponse bundle = calls.get("/v1/docs/swagger-ui-bundle.js");

            assertThat(page.status()).isEqualTo(200);
            assertThat(page.header("Content-Type")).startsWith("text/html");
            assertThat(page.bodyText()).contains("docs/swagger-ui-bundle.js", "url: \"openapi.json\"");
            assertThat(bundle.status()).isEqualTo(200);
            assertThat(bundle.body().length).isGreaterThan(100_000);
            assertProblem(calls.get("/v1/docs/index.html"), 404, "not-found");
        }
    }

    @Nested
    class Cancelling {
        @Test
        void a_pending_task_is_cancelled_at_once_with_200() {
            // One worker busy with a long task keeps the next one PENDING.
            TaskSystem one = Systems.start("TASKS_WORKERS", "1");
            try {
                ApiCalls c = new ApiCalls(new TaskApi(one.service(), ApiOptions.from(one.settings())));
                String busy = c.submitExample("{\"steps\":1000,\"step_ms\":50}");
                String waiting = c.submitExample("{\"steps\":1,\"step_ms\":0}");
                Eventually.until(() -> c.task(busy), v -> v.get("status").asText().equals("RUNNING"), "RUNNING");

                HttpResponse r = c.call("DELETE", "/v1/tasks/" + waiting, null);

                assertThat(r.status()).isEqualTo(200);
                assertThat(json(r).get("status").asText()).isEqualTo("CANCELLED");
                assertThat(c.task(waiting).get("status").asText()).isEqualTo("CANCELLED");
            } finally {
                one.shutdown(Duration.ZERO);
            }
        }

        @Test
        void a_running_task_gets_cancel_requested_with_202_and_then_ends_cancelled() {
            String id = calls.submitExample("{\"steps\":1000,\"step_ms\":20}");
            Eventually.until(() -> calls.task(id), v -> v.get("status").asText().equals("RUNNING"), "RUNNING");

            HttpResponse r = calls.call("DELETE", "/v1/tasks/" + id, null);

            assertThat(r.status()).isEqualTo(202);
            assertThat(json(r).get("cancel_requested").asBoolean()).isTrue();
            JsonNode t = Eventually.until(() -> calls.task(id), v -> v.get("status").asText().equals("CANCELLED"), "CANCELLED");
            assertThat(t.get("finished_at").isNull()).isFalse();
        }

        @Test
        void a_finished_task_answers_409() {
            String id = calls.submitExample("{\"steps\":1,\"step_ms\":0}");
            Eventually.until(() -> calls.task(id), v -> v.get("status").asText().equals("SUCCEEDED"), "SUCCEEDED");

            HttpResponse r = calls.call("DELETE", "/v1/tasks/" + id, null);

            assertProblem(r, 409, "task-already-finished");
            assertThat(json(r).get("task_status").asText()).isEqualTo("SUCCEEDED");
        }

        @Test
        void an_unknown_task_answers_404() {
            assertProblem(calls.call("DELETE", "/v1/tasks/" + UUID.randomUUID(), null), 404, "task-not-found");
        }
    }

    @Nested
    class BadInput {
        @Test
        void malformed_json_is_400() {
            assertProblem(calls.postJson("/v1/example/process-task", "{\"data\":"), 400, "malformed-json");
            assertProblem(calls.postJson("/v1/example/process-task", ""), 400, "malformed-json");
            assertProblem(calls.postJson("/v1/example/process-task", "{} trailing"), 400, "malformed-json");
        }

        @Test
        void a_body_that_is_not_an_object_is_400() {
            assertProblem(calls.postJson("/v1/example/process-task", "[1,2]"), 400, "invalid-body");
            assertProblem(calls.postJson("/v1/example/process-task", "\"data\""), 400, "invalid-body");
        }

        @Test
        void missing_or_null_data_is_400() {
            assertProblem(calls.postJson("/v1/example/process-task", "{}"), 400, "missing-data");
            assertProblem(calls.postJson("/v1/example/process-task", "{\"data\":null}"), 400, "missing-data");
            assertProblem(calls.postJson("/v1/tasks", "{\"type\":\"noop\"}"), 400, "missing-data");
        }

        @Test
        void a_missing_type_is_400() {
            assertProblem(calls.postJson("/v1/tasks", "{\"data\":{}}"), 400, "missing-type");
            assertProblem(calls.postJson("/v1/tasks", "{\"type\":7,\"data\":{}}"), 400, "missing-type");
        }

        @Test
        void an_unknown_task_type_is_400_and_names_the_known_types() {
            HttpResponse r = calls.postJson("/v1/tasks", "{\"type\":\"nope\",\"data\":{}}");

            assertProblem(r, 400, "unknown-task-type");
            assertThat(json(r).get("detail").asText()).contains("example", "noop");
        }

        @Test
        void invalid_task_input_is_400_with_the_handlers_message() {
            HttpResponse r = calls.postJson("/v1/example/process-task", "{\"data\":{\"steps\":0}}");

            assertProblem(r, 400, "invalid-task-input");
            assertThat(json(r).get("detail").asText()).contains("data.steps");
            assertProblem(calls.postJson("/v1/example/process-task", "{\"data\":[1]}"), 400, "invalid-task-input");
        }

        @Test
        void a_non_json_content_type_is_415() {
            byte[] body = "{\"data\":{}}".getBytes(StandardCharsets.UTF_8);
            assertProblem(calls.call("POST", "/v1/example/process-task", body,
                    "Content-Type", "application/x-www-form-urlencoded"), 415, "unsupported-media-type");
            assertProblem(calls.call("POST", "/v1/example/process-task", body, "Content-Type", "text/plain"),
                    415, "unsupported-media-type");
            assertProblem(calls.call("POST", "/v1/example/process-task", body), 415, "unsupported-media-type");
        }

        @Test
        void an_unknown_content_encoding_is_415() {
            assertProblem(calls.call("POST", "/v1/tasks", "{}".getBytes(StandardCharsets.UTF_8),
                    "Content-Type", "application/json", "Content-Encoding", "br"), 415, "unsupported-content-encoding");
        }

        @Test
        void a_body_over_the_limit_is_413() {
            String big = "{\"data\":{\"pad\":\"" + "x".repeat(5000) + "\"}}";
            assertProblem(calls.postJson("/v1/example/process-task", big), 413, "payload-too-large");
        }

        @Test
        void a_declared_length_over_the_limit_is_413_before_the_body_is_looked_at() {
            HttpResponse r = calls.call("POST", "/v1/example/process-task", new byte[0],
                    "Content-Type", "text/plain", "Content-Length", "999999");

            assertProblem(r, 413, "payload-too-large");
        }

        @Test
        void a_gzip_body_that_inflates_over_the_limit_is_413() {
            String big = "{\"data\":{\"pad\":\"" + "x".repeat(100_000) + "\"}}";
            byte[] bomb = gzip(big.getBytes(StandardCharsets.UTF_8));
            assertThat(bomb.length).isLessThan(4096);

            HttpResponse r = calls.call("POST", "/v1/tasks", bomb, "Content-Type", "application/json", "Content-Encoding", "gzip");

            assertProblem(r, 413, "payload-too-large");
        }

        @Test
        void a_body_that_is_not_gzip_despite_the_header_is_400() {
            HttpResponse r = calls.call("POST", "/v1/tasks", "{\"type\":\"noop\"}".getBytes(StandardCharsets.UTF_8),
                    "Content-Type", "application/json", "Content-Encoding", "gzip");

            assertProblem(r, 400, "malformed-gzip");
        }

        @Test
        void parser_messages_never_reach_the_client() {
            HttpResponse r = calls.postJson("/v1/tasks", "{\"type\": noop}");

            assertProblem(r, 400, "malformed-json");
            assertThat(r.bodyText()).doesNotContain("Unrecognized token", "com.fasterxml", "Exception");
        }
    }

    @Nested
    class Routing {
        @Test
        void an_unknown_route_is_404() {
            assertProblem(calls.get("/v2/tasks"), 404, "not-found");
            assertProblem(calls.get("/"), 404, "not-found");
            assertProblem(calls.get("/v1/tasks/" + UUID.randomUUID() + "/extra"), 404, "not-found");
        }

        @Test
        void a_wrong_method_is_405_with_an_allow_header() {
            HttpResponse r = calls.call("PUT", "/v1/tasks/" + UUID.randomUUID(), null);

            assertProblem(r, 405, "method-not-allowed");
            assertThat(r.header("Allow")).isEqualTo("GET, DELETE, OPTIONS");
            // GET /v1/tasks is the listing now; a method no route of /v1/tasks takes shows the header.
            assertThat(calls.call("PUT", "/v1/tasks", null).header("Allow")).isEqualTo("POST, GET, OPTIONS");
        }
    }

    @Nested
    class Cors {
        @Test
        void an_https_origin_is_echoed_without_credentials() {
            HttpResponse r = calls.get("/v1/health", "Origin", "https://example.com");

            assertThat(r.header("Access-Control-Allow-Origin")).isEqualTo("https://example.com");
            assertThat(r.header("Access-Control-Allow-Credentials")).isNull();
            assertThat(r.header("Vary")).contains("Origin");
        }

        @Test
        void an_http_origin_with_a_port_is_echoed() {
            assertThat(calls.get("/v1/health", "Origin", "http://localhost:3000").header("Access-Control-Allow-Origin"))
                    .isEqualTo("http://localhost:3000");
        }

        @Test
        void other_schemes_and_null_origins_are_not_echoed() {
            assertThat(calls.get("/v1/health", "Origin", "ftp://x").header("Access-Control-Allow-Origin")).isNull();
            assertThat(calls.get("/v1/health", "Origin", "null").header("Access-Control-Allow-Origin")).isNull();
            assertThat(calls.get("/v1/health", "Origin", "https://evil.com/path\r\nX: y").header("Access-Control-Allow-Origin")).isNull();
        }

        @Test
        void errors_carry_cors_headers_too() {
            HttpResponse r = calls.get("/v1/tasks/nope", "Origin", "https://example.com");

            assertThat(r.status()).isEqualTo(400);
            assertThat(r.header("Access-Control-Allow-Origin")).isEqualTo("https://example.com");
        }

        @Test
        void a_preflight_answers_204_with_methods_and_headers() {
            HttpResponse r = calls.call("OPTIONS", "/v1/example/process-task", null, "Origin", "https://example.com",
                    "Access-Control-Request-Method", "POST", "Access-Control-Request-Headers", "content-type, idempotency-key");

            assertThat(r.status()).isEqualTo(204);
            assertThat(r.body()).isEmpty();
            assertThat(r.header("Access-Control-Allow-Origin")).isEqualTo("https://example.com");
            assertThat(r.header("Access-Control-Allow-Methods")).contains("POST");
            assertThat(r.header("Access-Control-Allow-Headers")).contains("Content-Type", "Idempotency-Key", "Content-Encoding");
            assertThat(r.header("Access-Control-Allow-Credentials")).isNull();
        }

        @Test
        void a_preflight_from_a_foreign_scheme_gets_no_allow_origin() {
            HttpResponse r = calls.call("OPTIONS", "/v1/tasks", null, "Origin", "ftp://x", "Access-Control-Request-Method", "POST");

            assertThat(r.status()).isEqualTo(204);
            assertThat(r.header("Access-Control-Allow-Origin")).isNull();
        }

        @Test
        void a_preflight_on_an_unknown_route_is_404() {
            assertProblem(calls.call("OPTIONS", "/nowhere", null, "Origin", "https://example.com"), 404, "not-found");
        }
    }

    @Nested
    class Compression {
        @Test
        void the_openapi_document_is_gzipped_when_accepted() {
            HttpResponse plain = calls.get("/v1/openapi.json");
            HttpResponse zipped = calls.get("/v1/openapi.json", "Accept-Encoding", "gzip, deflate, br");

            assertThat(zipped.header("Content-Encoding")).isEqualTo("gzip");
            assertThat(zipped.header("Vary")).contains("Accept-Encoding");
            assertThat(gunzip(zipped.body())).isEqualTo(plain.body());
            assertThat(plain.header("Content-Encoding")).isNull();
        }

        @Test
        void gzip_with_q_zero_is_not_used() {
            assertThat(calls.get("/v1/openapi.json", "Accept-Encoding", "gzip;q=0").header("Content-Encoding")).isNull();
        }

        @Test
        void small_bodies_are_not_compressed() {
            HttpResponse r = calls.get("/v1/health", "Accept-Encoding", "gzip");

            assertThat(r.header("Content-Encoding")).isNull();
            assertThat(json(r).get("status").asText()).isEqualTo("ok");
        }

        @Test
        void a_large_task_view_is_compressed() {
            String id = calls.submitExample("{\"steps\":1,\"step_ms\":0,\"pad\":\"" + "y".repeat(2000) + "\"}");
            Eventually.until(() -> calls.task(id), v -> v.get("status").asText().equals("SUCCEEDED"), "SUCCEEDED");

            HttpResponse r = calls.get("/v1/tasks/" + id, "Accept-Encoding", "gzip");
            // the result holds the hash, not the pad; the view is small, so it stays plain
            assertThat(r.header("Content-Encoding")).isNull();
            HttpResponse problem = calls.postJson("/v1/tasks", "{\"type\":\"" + "z".repeat(1200) + "\",\"data\":{}}",
                    "Accept-Encoding", "gzip");
            assertThat(problem.header("Content-Encoding")).isEqualTo("gzip");
            assertThat(new String(gunzip(problem.body()), StandardCharsets.UTF_8)).contains("unknown-task-type");
        }
    }
}
