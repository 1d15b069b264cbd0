package dev.longtasks.lambda.logging;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.longtasks.json.Json;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.slf4j.helpers.BasicMDCAdapter;
import org.slf4j.event.Level;

/** The Lambda artifact's JSON log lines: Powertools' shape, its environment variables, one object per line. */
class JsonLoggerTest {
    final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    final BasicMDCAdapter mdc = new BasicMDCAdapter(); // what JsonLogServiceProvider hands to slf4j's MDC

    JsonLogger logger(Map<String, String> env) {
        return new JsonLogger("dev.longtasks.X", JsonLogSettings.from(env, new PrintStream(buffer, true, StandardCharsets.UTF_8)),
                mdc::getCopyOfContextMap);
    }

    String output() {
        return buffer.toString(StandardCharsets.UTF_8);
    }

    @Nested
    class Lines {
        @Test
        void carry_service_level_message_request_id_and_cold_start() {
            JsonLogger log = logger(Map.of("POWERTOOLS_SERVICE_NAME", "long-running-tasks", "AWS_LAMBDA_FUNCTION_NAME", "api"));
            mdc.put("function_request_id", "req-1");
            mdc.put("cold_start", "true");
            log.info("task {} ended {}", "t1", "SUCCEEDED");
            JsonNode line = Json.read(output().strip());
            assertThat(line.get("level").asText()).isEqualTo("INFO");
            assertThat(line.get("service").asText()).isEqualTo("long-running-tasks");
            assertThat(line.get("message").asText()).isEqualTo("task t1 ended SUCCEEDED");
            assertThat(line.get("function_request_id").asText()).isEqualTo("req-1");
            assertThat(line.get("cold_start").isBoolean()).isTrue();
            assertThat(line.get("cold_start").asBoolean()).isTrue();
            assertThat(line.get("function_name").asText()).isEqualTo("api");
            assertThat(line.has("timestamp")).isTrue();
        }

        @Test
        void an_exception_stays_inside_the_one_json_line() {
            logger(Map.of()).error("boom", new IllegalStateException("bad\nthing"));
            String out = output();
            assertThat(out.strip().lines()).hasSize(1);
            JsonNode line = Json.read(out.strip());
            assertThat(line.at("/error/name").asText()).isEqualTo("java.lang.IllegalStateException");
            assertThat(line.at("/error/message").asText()).isEqualTo("bad\nthing");
            assertThat(line.at("/error/stack").asText()).contains("JsonLoggerTest");
            assertThat(line.get("service").asText()).isEqualTo("service_undefined");
        }
    }

    @Nested
    class Levels {
        @Test
        void powertools_log_level_filters_lower_levels() {
            JsonLogger log = logger(Map.of("POWERTOOLS_LOG_LEVEL", "WARN"));
            log.info("hidden");
            log.warn("shown");
            assertThat(output().strip().lines()).hasSize(1);
            assertThat(output()).contains("shown").doesNotContain("hidden");
        }

        @Test
        void debug_is_off_by_default_and_unknown_values_mean_info() {
            assertThat(logger(Map.of()).isDebugEnabled()).isFalse();
            assertThat(JsonLogSettings.level("debug")).isEqualTo(Level.DEBUG);
            assertThat(JsonLogSettings.level("nonsense")).isEqualTo(Level.INFO);
            assertThat(JsonLogSettings.level("CRITICAL")).isEqualTo(Level.ERROR);
        }
    }
}
