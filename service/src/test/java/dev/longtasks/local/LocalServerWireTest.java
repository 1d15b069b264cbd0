package dev.longtasks.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.longtasks.api.ApiOptions;
import dev.longtasks.api.HttpApi;
import dev.longtasks.api.HttpResponse;
import dev.longtasks.api.TaskApi;
import dev.longtasks.local.RawExchange.End;
import dev.longtasks.local.RawExchange.Reply;
import dev.longtasks.testing.Systems;
import dev.longtasks.wiring.TaskSystem;
import java.io.IOException;
import java.net.ConnectException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * HTTP/1.1 framing the local server keeps, checked on the wire: pipelined requests on one
 * connection only parse if every answer before them has exactly the body its headers promise.
 */
class LocalServerWireTest {
    private static final Duration PATIENCE = Duration.ofSeconds(20);
    private static TaskSystem system;
    private static LocalServer server;

    @BeforeAll
    static void start() throws IOException {
        system = Systems.start("PORT", "0");
        server = LocalServer.start(new TaskApi(system.service(), ApiOptions.defaults()), "127.0.0.1", 0, 256 * 1024);
    }

    @AfterAll
    static void stop() {
        server.close();
        system.close();
    }

    private static List<Reply> pipelined(RawExchange exchange, int responses) throws Exception {
        List<Reply> replies = exchange.exchange(PATIENCE, responses);
        assertThat(replies).as(replies.toString()).hasSize(responses).allMatch(r -> r.end() == End.ANSWERED);
        return replies;
    }

    private static final String HEALTH = "GET /v1/health HTTP/1.1\r\nHost: x\r\n\r\n";

    @Nested
    class Keep_alive {
        @Test
        void a_head_answer_has_no_body_and_the_next_request_on_the_connection_is_answered() throws Exception {
            List<Reply> r = pipelined(RawExchange.to(server.port()).bodiless(0)
                    .write("HEAD /v1/tasks/00000000-0000-4000-8000-000000000000 HTTP/1.1\r\nHost: x\r\n\r\n" + HEALTH), 2);

            assertThat(r.get(0).body()).isEmpty();
            assertThat(r.get(1).status()).isEqualTo(200);
            assertThat(r.get(1).body()).contains("\"status\":\"ok\"");
        }

        @Test
        void a_204_preflight_has_neither_body_nor_length_and_the_next_request_is_answered() throws Exception {
            List<Reply> r = pipelined(RawExchange.to(server.port()).write("OPTIONS /v1/tasks HTTP/1.1\r\nHost: x\r\n"
                    + "Origin: http://example.com\r\nAccess-Control-Request-Method: POST\r\n\r\n" + HEALTH), 2);

            assertThat(r.get(0).status()).isEqualTo(204);
            assertThat(r.get(0).raw()).endsWith("\r\n\r\n");
            assertThat(r.get(1).status()).isEqualTo(200);
        }

        @Test
        void a_chunked_request_body_is_read_to_its_end() throws Exception {
            String json = "{\"type\":\"noop\",\"data\":{}}";
            String chunked = Integer.toHexString(10) + "\r\n" + json.substring(0, 10) + "\r\n"
                    + Integer.toHexString(json.length() - 10) + "\r\n" + json.substring(10) + "\r\n0\r\n\r\n";
            List<Reply> r = pipelined(RawExchange.to(server.port()).write("POST /v1/tasks HTTP/1.1\r\nHost: x\r\n"
                    + "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n" + chunked + HEALTH), 2);

            assertThat(r.get(0).status()).as(r.get(0).toString()).isEqualTo(202);
            assertThat(r.get(0).body()).contains("task_id");
            assertThat(r.get(1).status()).isEqualTo(200);
        }
    }

    @Test
    void an_http_1_0_request_is_answered_and_the_connection_closed() throws Exception {
        Reply r = RawExchange.to(server.port()).write("GET /v1/health HTTP/1.0\r\n\r\n").exchange(PATIENCE);

        assertThat(r.end()).as(r.toString()).isEqualTo(End.ANSWERED);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body()).contains("\"status\":\"ok\"");
    }

    @Test
    void expect_100_continue_with_a_body_in_the_limit_gets_continue_then_the_answer() throws Exception {
        String json = "{\"type\":\"noop\",\"data\":{}}";
        Reply r = RawExchange.to(server.port()).write("POST /v1/tasks HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                + "Content-Length: " + json.length() + "\r\nExpect: 100-continue\r\n\r\n").write(json).exchange(PATIENCE);

        assertThat(r.status()).as(r.toString()).isEqualTo(202);
    }

    @Test
    void stopping_lets_a_request_in_progress_finish_while_new_connections_are_refused() throws Exception {
        CountDownLatch inHandler = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        HttpApi slow = request -> {
            inHandler.countDown();
            try {
                release.await(20, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return new HttpResponse(200, Map.of("Content-Type", "text/plain"), "done".getBytes(StandardCharsets.UTF_8));
        };
        LocalServer stopping = LocalServer.start(slow, "127.0.0.1", 0, 1024);
        int port = stopping.port();
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<Reply> inFlight = threads.submit(() -> RawExchange.to(port).write(HEALTH).exchange(PATIENCE));
            assertThat(inHandler.await(20, TimeUnit.SECONDS)).isTrue();

            Future<?> stop = threads.submit(() -> stopping.stop(Duration.ofSeconds(20)));
            refusedEventually(port);
            release.countDown();
            stop.get(30, TimeUnit.SECONDS);

            Reply r = inFlight.get(30, TimeUnit.SECONDS);
            assertThat(r.status()).as(r.toString()).isEqualTo(200);
            assertThat(r.body()).isEqualTo("done");
        }
    }

    /** Waits until a new connection to {@code port} is refused: the server stopped accepting. */
    private static void refusedEventually(int port) throws Exception {
        for (int i = 0; i < 400; i++) {
            try (Socket ignored = new Socket("127.0.0.1", port)) {
                Thread.sleep(50);
            } catch (ConnectException refused) {
                return;
            }
        }
        throw new AssertionError("port " + port + " still accepts connections while stopping");
    }
}
