package dev.longtasks.handlers;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.longtasks.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** Every built-in task type has its OpenAPI entry, and http-check's schema states the bounds the code enforces. */
class TaskTypesDocumentedTest {
    private static final JsonNode OPENAPI = load();

    private static JsonNode load() {
        try (InputStream in = TaskTypesDocumentedTest.class.getResourceAsStream("/openapi.json")) {
            return Json.read(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    @Nested
    class The_submit_request {
        @Test
        void names_every_built_in_task_type() {
            JsonNode type = OPENAPI.at("/components/schemas/SubmitRequest/properties/type");
            List<String> examples = new ArrayList<>();
            type.get("examples").forEach(n -> examples.add(n.asText()));

            assertThat(examples).containsExactlyInAnyOrderElementsOf(BuiltInHandlers.all().types());
            for (String t : BuiltInHandlers.all().types()) {
                assertThat(type.get("description").asText()).contains(t);
            }
        }
    }

    @Nested
    class The_http_check_schema {
        private final JsonNode schema = OPENAPI.at("/components/schemas/HttpCheckData");

        private int bound(String field, String which) {
            return schema.get("properties").get(field).get(which).asInt();
        }

        @Test
        void lists_exactly_the_fields_the_handler_reads_with_url_required() {
            List<String> fields = new ArrayList<>();
            schema.get("properties").fieldNames().forEachRemaining(fields::add);

            assertThat(fields).containsExactly("url", "probes", "timeout_ms", "interval_ms", "expect_status", "require_healthy");
            assertThat(schema.get("required").toString()).isEqualTo("[\"url\"]");
        }

        @Test
        void states_the_bounds_the_handler_enforces() {
            assertThat(schema.get("properties").get("url").get("maxLength").asInt()).isEqualTo(HttpCheckRequest.MAX_URL_LENGTH);
            assertThat(bound("probes", "maximum")).isEqualTo(HttpCheckRequest.MAX_PROBES);
            assertThat(bound("timeout_ms", "minimum")).isEqualTo(HttpCheckRequest.MIN_TIMEOUT_MS);
            assertThat(bound("timeout_ms", "maximum")).isEqualTo(HttpCheckRequest.MAX_TIMEOUT_MS);
            assertThat(bound("interval_ms", "maximum")).isEqualTo(HttpCheckRequest.MAX_INTERVAL_MS);
        }
    }
}
