package dev.longtasks.handlers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.longtasks.json.Json;
import dev.longtasks.task.InvalidTaskInputException;
import java.time.Duration;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HttpCheckRequestTest {

    private static JsonNode json(String text) {
        return Json.read(text);
    }

    @Nested
    class Accepted_input {
        @Test
        void a_bare_url_gets_three_probes_five_second_timeouts_and_one_second_intervals() throws Exception {
            HttpCheckRequest r = HttpCheckRequest.parse(json("{\"url\":\"https://example.com/health\"}"));

            assertThat(r.url().toString()).isEqualTo("https://example.com/health");
            assertThat(r.probes()).isEqualTo(3);
            assertThat(r.timeout()).isEqualTo(Duration.ofSeconds(5));
            assertThat(r.interval()).isEqualTo(Duration.ofSeconds(1));
            assertThat(r.expectStatus()).isNull();
            assertThat(r.requireHealthy()).isFalse();
        }

        @Test
        void every_option_is_read() throws Exception {
            HttpCheckRequest r = HttpCheckRequest.parse(json("""
                    {"url":"http://svc.internal:8080/ready","probes":50,"timeout_ms":100,"interval_ms":0,
                     "expect_status":204,"require_healthy":true}"""));

            assertThat(r.probes()).isEqualTo(50);
            assertThat(r.timeout()).isEqualTo(Duration.ofMillis(100));
            assertThat(r.interval()).isZero();
            assertThat(r.expectStatus()).isEqualTo(204);
            assertThat(r.requireHealthy()).isTrue();
        }

        @Test
        void without_expect_status_any_2xx_is_healthy_and_a_redirect_is_not() throws Exception {
            HttpCheckRequest r = HttpCheckRequest.parse(json("{\"url\":\"https://example.com\"}"));

            assertThat(r.isHealthy(200)).isTrue();
            assertThat(r.isHealthy(299)).isTrue();
            assertThat(r.isHealthy(302)).isFalse();
            assertThat(r.isHealthy(503)).isFalse();
        }

        @Test
        void with_expect_status_only_that_status_is_healthy() throws Exception {
            HttpCheckRequest r = HttpCheckRequest.parse(json("{\"url\":\"https://example.com\",\"expect_status\":401}"));

            assertThat(r.isHealthy(401)).isTrue();
            assertThat(r.isHealthy(200)).isFalse();
        }
    }

    @Nested
    class Refused_input {
        @ParameterizedTest(name = "{0} -> {1}")
        @CsvSource(delimiter = '|', value = {
            "[]                                              | 'data' must be a JSON object for task type 'http-check'",
            "{}                                              | 'data.url' is required",
            "{\"url\":42}                                    | 'data.url' must be an http or https URL",
            "{\"url\":\"  \"}                                | 'data.url' must be an http or https URL",
            "{\"url\":\"ftp://example.com/x\"}               | 'data.url' must use http or https, not 'ftp'",
            "{\"url\":\"file:///etc/passwd\"}                | 'data.url' must use http or https, not 'file'",
            "{\"url\":\"example.com/health\"}                | 'data.url' must use http or https, not ''",
            "{\"url\":\"http:///nohost\"}                    | 'data.url' must name a host",
            "{\"url\":\"http://exa mple.com\"}               | 'data.url' is not a valid URL",
            "{\"url\":\"https://admin:pw@example.com\"}      | 'data.url' must not contain a user name or password",
            "{\"url\":\"http://169.254.169.254/latest\"}     | 'data.url' points at a link-local address",
            "{\"url\":\"http://[fe80::1]/\"}                 | 'data.url' points at a link-local address",
            "{\"url\":\"https://e.com\",\"probes\":0}        | 'data.probes' must be an integer from 1 to 50",
            "{\"url\":\"https://e.com\",\"probes\":51}       | 'data.probes' must be an integer from 1 to 50",
            "{\"url\":\"https://e.com\",\"probes\":2.5}      | 'data.probes' must be an integer from 1 to 50",
            "{\"url\":\"https://e.com\",\"probes\":\"3\"}    | 'data.probes' must be an integer from 1 to 50",
            "{\"url\":\"https://e.com\",\"timeout_ms\":99}   | 'data.timeout_ms' must be an integer from 100 to 30000",
            "{\"url\":\"https://e.com\",\"timeout_ms\":30001}| 'data.timeout_ms' must be an integer from 100 to 30000",
            "{\"url\":\"https://e.com\",\"interval_ms\":-1}  | 'data.interval_ms' must be an integer from 0 to 60000",
            "{\"url\":\"https://e.com\",\"expect_status\":99}| 'data.expect_status' must be an integer from 100 to 599",
            "{\"url\":\"https://e.com\",\"require_healthy\":\"yes\"} | 'data.require_healthy' must be true or false",
        })
        void with_a_message_that_names_the_field(String data, String message) {
            assertThatThrownBy(() -> HttpCheckRequest.parse(json(data)))
                    .isInstanceOf(InvalidTaskInputException.class)
                    .hasMessageStartingWith(message);
        }

        @Test
        void a_url_longer_than_2048_characters() {
            String url = "https://example.com/" + "a".repeat(2048);

            assertThatThrownBy(() -> HttpCheckRequest.parse(Json.MAPPER.createObjectNode().put("url", url)))
                    .isInstanceOf(InvalidTaskInputException.class)
                    .hasMessage("'data.url' must be an http or https URL of at most 2048 characters");
        }
    }
}
