package dev.longtasks.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.longtasks.api.ApiOptions;
import dev.longtasks.api.TaskApi;
import dev.longtasks.config.ServiceSettings;
import dev.longtasks.json.Json;
import dev.longtasks.local.LocalServer;
import dev.longtasks.wiring.TaskSystem;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Request bodies may hold secrets or personal data: the local server's INFO logs (the default
 * level) must never contain them, whatever happens to the request.
 */
class RequestBodyLoggingTest {

    @Test
    void no_request_body_reaches_the_logs_at_info_whatever_the_request_did() throws Exception {
        String marker = "MARKER-" + UUID.randomUUID();
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream originalErr = System.err;
        PrintStream originalOut = System.out;
        PrintStream tee = new PrintStream(captured, true, StandardCharsets.UTF_8);
        System.setErr(tee);
        System.setOut(tee);
        try (TaskSystem system = TaskSystem.start(ServiceSettings.fromEnv(Map.of("PORT", "0")));
             LocalServer server = LocalServer.start(new TaskApi(system.service(), ApiOptions.defaults()), "127.0.0.1", 0,
                     ServiceSettings.DEFAULT_MAX_BODY_BYTES)) {
            HttpClient client = HttpClient.newHttpClient();
            List<String> accepted = new ArrayList<>();
            String base = "http://127.0.0.1:" + server.port();
            List<String> bodies = List.of(
                    "{\"data\":{\"steps\":1,\"step_ms\":0,\"secret\":\"" + marker + "\"}}",        // accepted, runs
                    "{\"data\":{\"steps\":1,\"step_ms\":0,\"fail_at_step\":1,\"s\":\"" + marker + "\"}}", // runs, fails
                    "{\"data\":{\"steps\":\"" + marker + "\"}}",                                     // invalid input
                    "{\"data\":" + marker + "}",                                                       // malformed JSON
                    "{\"type\":\"" + marker + "\",\"data\":{}}",                                       // unknown type (to /v1/tasks)
                    "{\"data\":{\"s\":\"" + marker + "x".repeat(300_000) + "\"}}");                   // too large
            for (String body : bodies) {
                for (String path : List.of("/v1/example/process-task", "/v1/tasks")) {
                    HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(base + path))
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
                    assertThat(r.statusCode()).isLessThan(500);
                    if (r.statusCode() == 202) {
                        accepted.add(Json.read(r.body()).get("task_id").asText());
                    }
                }
            }
            assertThat(accepted).hasSizeGreaterThanOrEqualTo(2);
            // wait for the accepted tasks to end, so handler and runner logs are in the capture too
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (!accepted.stream().allMatch(id -> system.store().get(id).orElseThrow().status().isTerminal())
                    && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
        } finally {
            System.setErr(originalErr);
            System.setOut(originalOut);
        }
        String logs = captured.toString(StandardCharsets.UTF_8);
        assertThat(logs).as("the capture really holds the server's INFO logs").contains("POST /v1/example/process-task 202");
        assertThat(logs).doesNotContain(marker);
    }
}
