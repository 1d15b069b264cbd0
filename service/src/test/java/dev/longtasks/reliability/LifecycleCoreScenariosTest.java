package dev.longtasks.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.longtasks.api.ApiOptions;
import dev.longtasks.api.HttpRequest;
import dev.longtasks.api.HttpResponse;
import dev.longtasks.api.TaskApi;
import dev.longtasks.json.Json;
import dev.longtasks.task.RunOutcome;
import dev.longtasks.task.TaskEvent;
import dev.longtasks.task.TaskHandlers;
import dev.longtasks.task.TaskRunner;
import dev.longtasks.task.TaskService;
import dev.longtasks.task.TaskStatus;
import dev.longtasks.testing.CountingHandler;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * Lifecycle guarantees of issue 10 on the task core (memory store), each driven from outside the
 * service: a backlog older than the TTL, a completion event lost with the worker, idempotency keys
 * whose task failed to be stored, and a second submit racing the first with the same key.
 */
class LifecycleCoreScenariosTest {

    static HttpResponse post(TaskApi api, String key, int i) {
        return api.handle(new HttpRequest("POST", "/v1/tasks",
                Map.of("Content-Type", List.of("application/json"), "Idempotency-Key", List.of(key)), Map.of(),
                ("{\"type\":\"" + CountingHandler.TYPE + "\",\"data\":{\"i\":" + i + "}}").getBytes(StandardCharsets.UTF_8),
                "192.0.2.1"));
    }

    static HttpResponse get(TaskApi api, String id) {
        return api.handle(new HttpRequest("GET", "/v1/tasks/" + id, Map.of(), Map.of(), new byte[0], "192.0.2.1"));
    }

    @Nested
    class Backlog_older_than_the_ttl {
        @Test
        void a_task_that_waited_longer_than_its_ttl_still_runs_and_is_never_answered_404() {
            CoreRig rig = new CoreRig(CountingHandler.instant());
            TaskApi api = new TaskApi(rig.service, ApiOptions.defaults());
            ScenarioReport report = ScenarioReport.lifecycle("core-backlog-older-than-ttl",
                    "backlog older than the TTL (PENDING for TTL + 1 min before a worker takes it)", "memory");
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                ids.add(rig.submit());
            }
            rig.clock.advance(Duration.ofHours(1).plusMinutes(1)); // the queue was that far behind
            for (String id : ids) {
                assertThat(get(api, id).status()).as("GET of a task still waiting in the queue").isEqualTo(200);
                assertThat(rig.runner.run(rig.eventFor(id))).isInstanceOf(RunOutcome.Finished.class);
                assertThat(rig.store.get(id).orElseThrow().status()).isEqualTo(TaskStatus.SUCCEEDED);
            }
            report.recordRun(rig.store, ids, rig.store, rig.handler.totalStarts(), 0);
            report.write();
            report.assertLifecycleZeros();
            assertThat(report.completedTwice()).isZero();
        }
    }

    @Nested
    class Lost_completion_notification {
        @Test
        void a_redelivered_event_publishes_the_completion_the_killed_worker_never_sent() {
            CoreRig rig = new CoreRig(CountingHandler.instant());
            List<TaskEvent> completions = new CopyOnWriteArrayList<>();
            AtomicBoolean killed = new AtomicBoolean(true);
            // The worker records SUCCEEDED and dies before its task.succeeded reaches the bus.
            TaskRunner worker = new TaskRunner(rig.store, TaskHandlers.of(List.of(rig.handler)), event -> {
                if (killed.getAndSet(false)) {
                    throw new IllegalStateException("worker killed before publishing (injected)");
                }
                completions.add(event);
            }, CoreRig.SETTINGS, rig.clock);
            String id = rig.submit();
            assertThat(worker.run(rig.eventFor(id))).isInstanceOf(RunOutcome.Finished.class);
            assertThat(completions).isEmpty();

            // The broker redelivers task.submitted (the worker never acked it).
            assertThat(worker.run(rig.eventFor(id))).isInstanceOf(RunOutcome.NothingToDo.class);

            assertThat(completions).extracting(TaskEvent::event).containsExactly(TaskEvent.SUCCEEDED);
            assertThat(completions.getFirst().taskId()).isEqualTo(id);
            assertThat(rig.handler.starts(id)).isEqualTo(1);
            assertThat(worker.run(rig.eventFor(id))).isInstanceOf(RunOutcome.NothingToDo.class);
            assertThat(completions).as("sent once it is recorded as sent").hasSize(1);
        }
    }

    @Nested
    class Idempotency_keys {
        @Test
        void a_key_whose_create_and_release_both_failed_is_taken_over_and_never_replays_a_missing_task() {
            CoreRig rig = new CoreRig(CountingHandler.instant());
            TaskApi api = new TaskApi(rig.service, ApiOptions.defaults());
            rig.store.failOn("create", "releaseIdempotencyKey");
            HttpResponse first = post(api, "key-dangling", 1);
            assertThat(first.status()).isEqualTo(503);
            rig.store.failOn();
            rig.clock.advance(Duration.ofSeconds(30)); // the client retries later, as Retry-After asks

            HttpResponse retry = post(api, "key-dangling", 1);
            assertThat(retry.status()).as(retry.bodyText()).isEqualTo(202);
            String id = Json.read(retry.bodyText()).get("task_id").asText();
            assertThat(get(api, id).status()).as("the id the retry got must exist").isEqualTo(200);
            assertThat(rig.runner.run(rig.eventFor(id))).isInstanceOf(RunOutcome.Finished.class);

            HttpResponse replay = post(api, "key-dangling", 1);
            assertThat(replay.status()).isEqualTo(202);
            assertThat(replay.header("Idempotent-Replayed")).isEqualTo("true");
            assertThat(Json.read(replay.bodyText()).get("task_id").asText()).isEqualTo(id);
        }

        @Test
        void a_second_submit_racing_the_first_gets_the_id_only_once_the_task_exists() throws Exception {
            CoreRig rig = new CoreRig(CountingHandler.instant());
            var data = Json.MAPPER.createObjectNode().put("n", 1);
            AtomicBoolean firstCreate = new AtomicBoolean(true);
            // The first submit has bound the key and is slow to store its task: it waits (up to 2 s)
            // until the second submit is looking at the binding.
            rig.store.onCall("create", () -> {
                if (firstCreate.getAndSet(false)) {
                    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
                    while (rig.store.calls("get") == 0 && System.nanoTime() < end) {
                        Thread.onSpinWait();
                    }
                }
            });
            CompletableFuture<TaskService.Submitted> first = CompletableFuture.supplyAsync(() -> submit(rig, data));
            while (rig.store.calls("create") == 0) {
                Thread.onSpinWait();
            }
            TaskService.Submitted second = submit(rig, data);
            boolean existedWhenAnswered = rig.store.delegate().get(second.taskId()).isPresent();

            assertThat(second.replayed()).isTrue();
            assertThat(existedWhenAnswered).as("the replayed id answered 200 at the moment it was handed out").isTrue();
            assertThat(first.get(10, TimeUnit.SECONDS).taskId()).isEqualTo(second.taskId());
        }

        private TaskService.Submitted submit(CoreRig rig, JsonNode data) {
            try {
                return rig.service.submit(CountingHandler.TYPE, data, "key-race");
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
