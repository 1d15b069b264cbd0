package dev.longtasks.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import dev.longtasks.api.ApiOptions;
import dev.longtasks.api.TaskApi;
import dev.longtasks.config.ServiceSettings;
import dev.longtasks.local.LocalServer;
import dev.longtasks.wiring.TaskSystem;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * Finding (fixed): a body over the limit was not read before the 413 went out, so the server
 * closed the connection with unread bytes and the client often saw "connection reset" instead of
 * the problem+json answer. Over the real local server, every oversized body must get its 413.
 */
class LocalServerOversizedBodyTest {
    private TaskSystem system;
    private LocalServer server;
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @BeforeEach
    void start() throws Exception {
        system = TaskSystem.start(ServiceSettings.fromEnv(Map.of("PORT", "0")));
        server = LocalServer.start(new TaskApi(system.service(), ApiOptions.defaults()), "127.0.0.1", 0,
                ServiceSettings.DEFAULT_MAX_BODY_BYTES);
    }

    @AfterEach
    void stop() {
        server.close();
        system.close();
    }

    private HttpResponse<String> post(HttpRequest.BodyPublisher body) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/v1/example/process-task"))
                .header("Content-Type", "application/json").POST(body).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String body(int bytes) {
        return "{\"data\":{\"pad\":\"" + "x".repeat(bytes) + "\"}}";
    }

    @Nested
    class With_a_declared_length {
        @Test
        void twenty_bodies_of_300_kb_and_2_mb_on_one_connection_all_get_413_problems() throws Exception {
            for (int i = 0; i < 20; i++) {
                HttpResponse<String> r = post(HttpRequest.BodyPublishers.ofString(body(i % 2 == 0 ? 300 * 1024 : 2 * 1024 * 1024)));
                assertThat(r.statusCode()).isEqualTo(413);
                assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/problem+json"));
            }
            // and the connection is still good for a normal request
            assertThat(post(HttpRequest.BodyPublishers.ofString("{\"data\":{\"steps\":1,\"step_ms\":0}}")).statusCode()).isEqualTo(202);
        }
    }

    @Nested
    class Chunked_without_a_length {
        @Test
        void a_chunked_body_over_the_limit_gets_a_413_problem() throws Exception {
            byte[] big = body(600 * 1024).getBytes(StandardCharsets.UTF_8);
            for (int i = 0; i < 10; i++) {
                // ofInputStream has no known length, so the client sends it chunked
                HttpResponse<String> r = post(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(big)));
                assertThat(r.statusCode()).isEqualTo(413);
            }
        }
    }
}
