package dev.longtasks.handlers;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.longtasks.json.Json;
import dev.longtasks.store.MemoryTaskStore;
import dev.longtasks.task.RunOutcome;
import dev.longtasks.task.RunnerSettings;
import dev.longtasks.task.Task;
import dev.longtasks.task.TaskEvent;
import dev.longtasks.task.TaskHandlers;
import dev.longtasks.task.TaskRunner;
import dev.longtasks.task.TaskStatus;
import java.net.ServerSocket;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** Runs http-check through the real runner and memory store against a real HTTP server on loopback. */
class HttpCheckHandlerTest {
    private final MemoryTaskStore store = MemoryTaskStore.builder().build();
    private final RunnerSettings settings = RunnerSettings.DEFAULTS.withSafetyMargin(Duration.ZERO);

    @AfterEach
    void closeStore() {
        store.close();
    }

    private Task run(HttpCheckHandler handler, String data, Duration budget) {
        String id = UUID.randomUUID().toString();
        store.create(Task.pending(id, HttpCheckHandler.TYPE, data, Instant.now(), 3600));
        TaskRunner runner = new TaskRunner(store, TaskHandlers.of(List.of(handler)), null, settings, Clock.systemUTC());
        RunOutcome outcome = runner.run(TaskEvent.submitted(id, HttpCheckHandler.TYPE, "test"), budget);
        assertThat(outcome).isInstanceOf(RunOutcome.Finished.class);
        return ((RunOutcome.Finished) outcome).task();
    }

    private Task run(String data) {
        return run(new HttpCheckHandler(true), data, Duration.ofMinutes(5));
    }

    private static JsonNode result(Task t) {
        return Json.read(t.result());
    }

    @Nested
    class A_healthy_service {
        @Test
        void is_probed_the_requested_number_of_times_and_reported_healthy() throws Exception {
            try (ProbeTarget target = ProbeTarget.answering(200)) {
                Task t = run("{\"url\":\"" + target.url("/health") + "\",\"probes\":4,\"interval_ms\":0}");

                assertThat(t.status()).isEqualTo(TaskStatus.SUCCEEDED);
                assertThat(target.requests()).isEqualTo(4);
                JsonNode r = result(t);
                assertThat(r.get("url").asText()).isEqualTo(target.url("/health"));
                assertThat(r.get("probes_requested").asInt()).isEqualTo(4);
                assertThat(r.get("probes_completed").asInt()).isEqualTo(4);
                assertThat(r.get("healthy").asInt()).isEqualTo(4);
                assertThat(r.get("all_healthy").asBoolean()).isTrue();
                assertThat(r.get("status_codes").toString()).isEqualTo("{\"200\":4}");
                assertThat(r.get("probes")).hasSize(4);
                assertThat(r.get("probes").get(3).get("probe").asInt()).isEqualTo(4);
                assertThat(r.get("latency_ms").get("max").asLong())
                        .isGreaterThanOrEqualTo(r.get("latency_ms").get("p50").asLong());
                assertThat(r.has("stopped_early")).isFalse();
            }
        }

        @Test
        void leaves_the_last_progress_at_100_percent_naming_the_last_probe() throws Exception {
            try (ProbeTarget target = ProbeTarget.answering(204)) {
                Task t = run("{\"url\":\"" + target.url("/") + "\",\"probes\":2,\"interval_ms\":0}");

                assertThat(t.progress().percent()).isEqualTo(100);
                assertThat(t.progress().message()).startsWith("probe 2 of 2: 204 in ").endsWith(" ms");
            }
        }

        @Test
        void counts_the_expected_status_as_healthy_even_when_it_is_not_2xx() throws Exception {
            try (ProbeTarget target = ProbeTarget.answering(401)) {
                Task t = run("{\"url\":\"" + target.url("/") + "\",\"probes\":2,\"interval_ms\":0,"
                        + "\"expect_status\":401,\"require_healthy\":true}");

                assertThat(t.status()).isEqualTo(TaskStatus.SUCCEEDED);
                assertThat(result(t).get("healthy").asInt()).isEqualTo(2);
            }
        }
    }

    @Nested
    class An_unhealthy_service {
        @Test
        void is_reported_with_its_status_codes_and_the_task_still_succeeds() throws Exception {
            try (ProbeTarget target = ProbeTarget.start((n, ex) -> ex.sendResponseHeaders(n == 2 ? 503 : 200, -1))) {
                Task t = run("{\"url\":\"" + target.url("/") + "\",\"probes\":3,\"interval_ms\":0}");

                assertThat(t.status()).isEqualTo(TaskStatus.SUCCEEDED);
                JsonNode r = result(t);
                assertThat(r.get("healthy").asInt()).isEqualTo(2);
                assertThat(r.get("all_healthy").asBoolean()).isFalse();
                assertThat(r.get("status_codes").toString()).isEqualTo("{\"200\":2,\"503\":1}");
                assertThat(r.get("probes").get(1).get("healthy").asBoolean()).isFalse();
            }
        }

        @Test
        void fails_the_task_with_a_summary_when_require_healthy_is_set() throws Exception {
            try (ProbeTarget target = ProbeTarget.start((n, ex) -> ex.sendResponseHeaders(n == 2 ? 503 : 200, -1))) {
                Task t = run("{\"url\":\"" + target.url("/") + "\",\"probes\":3,\"interval_ms\":0,\"require_healthy\":true}");

                assertThat(t.status()).isEqualTo(TaskStatus.FAILED);
                assertThat(t.error().type()).isEqualTo("HttpCheckFailedException");
                assertThat(t.error().message())
                        .isEqualTo(target.url("/") + ": 2 of 3 probes healthy (200 x2, 503 x1)");
            }
        }

        @Test
        void gets_its_redirect_reported_and_not_followed() throws Exception {
            try (ProbeTarget target = ProbeTarget.start((n, ex) -> {
                ex.getResponseHeaders().add("Location", "/elsewhere");
                ex.sendResponseHeaders(302, -1);
            })) {
                Task t = run("{\"url\":\"" + target.url("/old") + "\",\"probes\":1}");

                assertThat(target.requests()).isEqualTo(1);
                assertThat(result(t).get("status_codes").toString()).isEqualTo("{\"302\":1}");
            }
        }

        @Test
        void that_refuses_connections_gives_an_error_per_probe() throws Exception {
            int closedPort;
            try (ServerSocket s = new ServerSocket(0)) {
                closedPort = s.getLocalPort();
            }
            Task t = run("{\"url\":\"http://127.0.0.1:" + closedPort + "/\",\"probes\":2,\"interval_ms\":0}");

            assertThat(t.status()).isEqualTo(TaskStatus.SUCCEEDED);
            JsonNode r = result(t);
            assertThat(r.get("healthy").asInt()).isZero();
            assertThat(r.get("probes").get(0).get("error").asText())
                    .isEqualTo("connection refused or unreachable: 127.0.0.1:" + closedPort);
            assertThat(r.get("latency_ms").get("p50").isNull()).isTrue();
        }

        @Test
        void that_never_answers_is_cut_off_at_the_timeout() throws Exception {
            CountDownLatch release = new CountDownLatch(1);
            try (ProbeTarget target = ProbeTarget.start((n, ex) -> {
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            })) {
                Task t = run("{\"url\":\"" + target.url("/") + "\",\"probes\":1,\"timeout_ms\":200}");
                release.countDown();

                assertThat(result(t).get("probes").get(0).get("error").asText()).isEqualTo("no response within 200 ms");
            }
        }
    }

    @Nested
    class Guard_rails {
        @Test
        void a_cancel_during_a_probe_stops_the_check_before_the_next_probe() throws Exception {
            String[] taskId = new String[1];
            try (ProbeTarget target = ProbeTarget.start((n, ex) -> {
                store.cancel(taskId[0]); // what DELETE /v1/tasks/{id} does while the probe runs
                ex.sendResponseHeaders(200, -1);
            })) {
                String id = UUID.randomUUID().toString();
                taskId[0] = id;
                store.create(Task.pending(id, HttpCheckHandler.TYPE,
                        "{\"url\":\"" + target.url("/") + "\",\"probes\":5,\"interval_ms\":0}", Instant.now(), 3600));
                TaskRunner runner = new TaskRunner(store, TaskHandlers.of(List.of(new HttpCheckHandler(true))), null,
                        settings, Clock.systemUTC());

                RunOutcome outcome = runner.run(TaskEvent.submitted(id, HttpCheckHandler.TYPE, "test"));

                assertThat(((RunOutcome.Finished) outcome).task().status()).isEqualTo(TaskStatus.CANCELLED);
                assertThat(target.requests()).isEqualTo(1);
            }
        }

        @Test
        void no_probe_starts_without_time_for_its_timeout_and_the_result_says_why() throws Exception {
            try (ProbeTarget target = ProbeTarget.answering(200)) {
                Task t = run(new HttpCheckHandler(true),
                        "{\"url\":\"" + target.url("/") + "\",\"probes\":3,\"timeout_ms\":30000}", Duration.ofSeconds(20));

                assertThat(t.status()).isEqualTo(TaskStatus.SUCCEEDED);
                assertThat(target.requests()).isZero();
                JsonNode r = result(t);
                assertThat(r.get("probes_completed").asInt()).isZero();
                assertThat(r.get("all_healthy").asBoolean()).isFalse();
                assertThat(r.get("stopped_early").asText()).startsWith("not enough time left for probe 1 (needs 31000 ms, ");
            }
        }

        @Test
        void loopback_is_refused_where_it_is_not_allowed_and_nothing_is_sent() throws Exception {
            try (ProbeTarget target = ProbeTarget.answering(200)) {
                Task t = run(new HttpCheckHandler(false), "{\"url\":\"" + target.url("/") + "\",\"probes\":1}",
                        Duration.ofMinutes(5));

                assertThat(target.requests()).isZero();
                assertThat(result(t).get("probes").get(0).get("error").asText())
                        .isEqualTo("refused: 127.0.0.1 resolves to loopback address 127.0.0.1 (not allowed in this deployment)");
            }
        }

        @Test
        void the_built_in_registry_serves_http_check() {
            assertThat(BuiltInHandlers.all().find("http-check")).get().isInstanceOf(HttpCheckHandler.class);
        }
    }
}
