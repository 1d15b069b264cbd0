package dev.longtasks.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.longtasks.api.ProblemType;
import dev.longtasks.config.ServiceSettings;
import dev.longtasks.json.Json;
import dev.longtasks.local.RawExchange.End;
import dev.longtasks.local.RawExchange.Reply;
import dev.longtasks.testing.Systems;
import java.io.IOException;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * Requests no well-behaved client sends, written by hand over a raw socket to the real local
 * server. Each one gets our problem+json with a stable type, or the connection is closed cleanly:
 * never the server library's own page, an exception's name or a stack trace.
 */
class HostileRequestsTest {
    private static final Duration PATIENCE = Duration.ofSeconds(20);
    private static LocalMain.Running running;

    @BeforeAll
    static void start() throws IOException {
        // Short timeouts, so the slow clients below are cut off long before they finish.
        var env = Systems.env("PORT", "0", "TASKS_HTTP_HEADER_TIMEOUT_SECONDS", "1", "TASKS_HTTP_BODY_TIMEOUT_SECONDS", "1");
        running = LocalMain.start(ServiceSettings.fromEnv(env), env);
    }

    @AfterAll
    static void stop() {
        running.stop(Duration.ZERO);
    }

    private static Reply send(String request) throws IOException, InterruptedException {
        return RawExchange.to(running.port()).write(request).exchange(PATIENCE);
    }

    private static void assertProblem(Reply r, int status, ProblemType type) throws IOException {
        assertThat(r.end()).as(r.toString()).isEqualTo(End.ANSWERED);
        assertThat(r.status()).as(r.toString()).isEqualTo(status);
        assertThat(r.header("Content-Type")).as(r.toString()).isEqualTo("application/problem+json");
        JsonNode body = Json.MAPPER.readTree(r.body());
        assertThat(body.path("type").asText()).isEqualTo(type.uri());
        assertThat(body.path("status").asInt()).isEqualTo(status);
        assertNothingInternal(r);
    }

    /** Either our problem for a client error, or a closed connection without a word. */
    private static void assertProblemOrClosed(Reply r) throws IOException {
        assertThat(r.end()).as(r.toString()).isIn(End.ANSWERED, End.CLOSED);
        if (r.end() == End.ANSWERED) {
            assertThat(r.status()).as(r.toString()).isBetween(400, 499);
            assertThat(r.header("Content-Type")).as(r.toString()).isEqualTo("application/problem+json");
            assertThat(Json.MAPPER.readTree(r.body()).path("type").asText()).startsWith(ProblemType.BASE_URI);
        } else {
            assertThat(r.raw()).as("a close without a partial answer").isEmpty();
        }
        assertNothingInternal(r);
    }

    private static void assertNothingInternal(Reply r) {
        assertThat(r.raw()).doesNotContainIgnoringCase("<html").doesNotContain("Exception").doesNotContain("\tat ")
                .doesNotContainIgnoringCase("jetty").doesNotContainIgnoringCase("helidon").doesNotContainIgnoringCase("undertow");
    }

    @Nested
    class Invalid_uris {
        @Test
        void a_bad_percent_escape_in_the_path_is_a_400_invalid_uri() throws Exception {
            assertProblem(send("GET /v1/tasks/%ZZ HTTP/1.1\r\nHost: x\r\n\r\n"), 400, ProblemType.INVALID_URI);
        }

        @Test
        void a_bad_percent_escape_in_the_query_is_a_400_invalid_uri() throws Exception {
            assertProblem(send("POST /v1/example/process-task?x=%%% HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                    + "Content-Length: 11\r\n\r\n{\"data\":{}}"), 400, ProblemType.INVALID_URI);
        }

        @Test
        void a_truncated_escape_at_the_end_of_the_query_is_a_400_invalid_uri() throws Exception {
            assertProblem(send("GET /v1/health?x=%4 HTTP/1.1\r\nHost: x\r\n\r\n"), 400, ProblemType.INVALID_URI);
        }

        @Test
        void a_request_line_over_the_limit_is_a_414() throws Exception {
            assertProblem(send("GET /v1/health?q=" + "x".repeat(9_000) + " HTTP/1.1\r\nHost: x\r\n\r\n"), 414, ProblemType.URI_TOO_LONG);
        }
    }

    @Nested
    class Malformed_messages {
        @Test
        void a_request_line_that_is_not_http_is_a_400_malformed_request() throws Exception {
            assertProblem(send("THIS IS NOT HTTP\r\n\r\n"), 400, ProblemType.MALFORMED_REQUEST);
        }

        @Test
        void an_unknown_http_version_is_a_505() throws Exception {
            assertProblem(send("GET /v1/health HTTP/7.1\r\nHost: x\r\n\r\n"), 505, ProblemType.HTTP_VERSION_NOT_SUPPORTED);
        }

        @Test
        void a_content_length_that_is_not_a_number_is_a_400_malformed_request() throws Exception {
            assertProblem(send("POST /v1/tasks HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n"), 400, ProblemType.MALFORMED_REQUEST);
        }

        @Test
        void content_length_together_with_chunked_is_a_400_malformed_request() throws Exception {
            assertProblem(send("POST /v1/tasks HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"),
                    400, ProblemType.MALFORMED_REQUEST);
        }

        @Test
        void a_nul_byte_in_a_header_is_a_400_malformed_request() throws Exception {
            assertProblem(send("GET /v1/health HTTP/1.1\r\nHost: x\r\nX-A: a\u0000b\r\n\r\n"), 400, ProblemType.MALFORMED_REQUEST);
        }

        @Test
        void a_transfer_encoding_that_does_not_end_in_chunked_is_a_400_malformed_request() throws Exception {
            // RFC 9112 6.3: the length of such a body cannot be known, so the request is rejected.
            assertProblem(send("POST /v1/tasks HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: gzip\r\n\r\nabc"),
                    400, ProblemType.MALFORMED_REQUEST);
        }

        @Test
        void a_transfer_coding_other_than_chunked_is_a_501() throws Exception {
            assertProblem(send("POST /v1/tasks HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                    + "Transfer-Encoding: gzip, chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n"), 501, ProblemType.UNSUPPORTED_TRANSFER_ENCODING);
        }
    }

    @Nested
    class Limits {
        @Test
        void a_header_over_the_size_limit_is_a_431() throws Exception {
            assertProblem(send("GET /v1/health HTTP/1.1\r\nHost: x\r\nX-Big: " + "x".repeat(20_000) + "\r\n\r\n"),
                    431, ProblemType.HEADERS_TOO_LARGE);
        }

        @Test
        void more_headers_than_the_limit_is_a_431() throws Exception {
            StringBuilder headers = new StringBuilder();
            for (int i = 0; i < 150; i++) {
                headers.append("X-H").append(i).append(": v\r\n");
            }
            assertProblem(send("GET /v1/health HTTP/1.1\r\nHost: x\r\n" + headers + "\r\n"), 431, ProblemType.HEADERS_TOO_LARGE);
        }

        @Test
        void expect_100_continue_with_a_body_over_the_limit_is_a_413_without_asking_for_the_body() throws Exception {
            Reply r = send("POST /v1/tasks HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 10485760\r\n"
                    + "Expect: 100-continue\r\n\r\n");

            assertProblem(r, 413, ProblemType.PAYLOAD_TOO_LARGE);
            assertThat(r.raw()).doesNotContain("100 Continue");
        }
    }

    @Nested
    class Expectations {
        @Test
        void an_expectation_other_than_100_continue_is_a_417() throws Exception {
            assertProblem(send("POST /v1/tasks HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 2\r\n"
                    + "Expect: the-moon\r\n\r\n{}"), 417, ProblemType.EXPECTATION_FAILED);
        }
    }

    @Nested
    class Slow_clients {
        @Test
        void headers_trickled_byte_by_byte_are_cut_off() throws Exception {
            // 200 bytes at one per 100 ms: 20 s if the server waited, far past the 1 s header timeout.
            Reply r = RawExchange.to(running.port()).write("GET /v1/health HTTP/1.1\r\n")
                    .trickle("X-Slow: " + "y".repeat(190) + "\r\n\r\n", Duration.ofMillis(100)).exchange(PATIENCE);

            assertProblemOrClosed(r);
        }

        @Test
        void a_body_that_stops_arriving_is_a_408_or_a_close() throws Exception {
            Reply r = send("POST /v1/tasks HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"type\":\"n");

            assertProblemOrClosed(r);
            if (r.end() == End.ANSWERED) {
                assertProblem(r, 408, ProblemType.REQUEST_TIMEOUT);
            }
        }

        @Test
        void a_well_formed_request_is_still_answered() throws Exception {
            Reply r = send("GET /v1/health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");

            assertThat(r.end()).as(r.toString()).isEqualTo(End.ANSWERED);
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.body()).contains("\"status\":\"ok\"");
        }
    }
}
