package dev.longtasks.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.longtasks.api.ApiOptions;
import dev.longtasks.api.HttpRequest;
import dev.longtasks.api.HttpResponse;
import dev.longtasks.api.TaskApi;
import dev.longtasks.events.InProcessEventBus;
import dev.longtasks.json.Json;
import dev.longtasks.task.EnqueueFailedException;
import dev.longtasks.task.EventPublishException;
import dev.longtasks.task.EventPublisher;
import dev.longtasks.task.Reconciler;
import dev.longtasks.task.ReconcilerSettings;
import dev.longtasks.task.RunOutcome;
import dev.longtasks.task.SubmitOutcome;
import dev.longtasks.task.Task;
import dev.longtasks.task.TaskError;
import dev.longtasks.task.TaskEvent;
import dev.longtasks.task.TaskService;
import dev.longtasks.task.TaskStatus;
import dev.longtasks.task.TaskStore;
import dev.longtasks.testing.CountingHandler;
import dev.longtasks.testing.Eventually;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The put succeeded, the publish did not. When the bus refuses work (back-pressure), the task must
 * end FAILED/EnqueueFailed and the answer is 503. When the publish fails any other way (the broker
 * is down, the outcome is unknown), the task was accepted: it stays PENDING and the reconciler
 * publishes it again. Either way no task sits PENDING for good.
 */
class PublishFailureScenarioTest {
    static final int TASKS = 20;

    /** A bus that refuses work: every publish is turned away as a full or closing in-process queue does. */
    static final EventPublisher REFUSING = event -> {
        throw EventPublishException.refused("the task queue refuses work (injected)", null);
    };

    /** A bus that is down: every publish fails the way SNS/RabbitMQ adapters report it. */
    static final EventPublisher DOWN = event -> {
        throw new EventPublishException("broker unreachable (injected)");
    };

    /** Hands the first {@code allowed} events to {@code next}, then fails like a broker that went away (or refuses) mid-batch. */
    static final class FailsAfter implements EventPublisher {
        private final EventPublisher next;
        private final AtomicInteger allowed;
        private final boolean refuses;

        FailsAfter(EventPublisher next, int allowed, boolean refuses) {
            this.next = next;
            this.allowed = new AtomicInteger(allowed);
            this.refuses = refuses;
        }

        @Override
        public void publish(TaskEvent event) {
            if (allowed.getAndDecrement() <= 0) {
                throw refuses ? EventPublishException.refused("the task queue is full mid-batch (injected)", null)
                        : new EventPublishException("broker went away mid-batch (injected)");
            }
            next.publish(event);
        }
    }

    /** Moves time past the dispatch grace and lets the reconciler publish what is still PENDING into {@code rig.published}. */
    static Reconciler.Pass reconcileAfterGrace(CoreRig rig) {
        rig.clock.advance(ReconcilerSettings.DEFAULTS.dispatchGrace());
        return rig.reconciler(rig.published::add).runOnce();
    }

    @Nested
    class Single_submits {
        @Test
        void every_submit_fails_with_enqueue_failed_and_every_stored_task_ends_failed() {
            CoreRig rig = new CoreRig(CountingHandler.instant(), REFUSING);
            ScenarioReport report = new ScenarioReport("core-publish-failure", "publish failure after the put", "memory");
            for (int i = 0; i < TASKS; i++) {
                assertThatThrownBy(rig::submit).isInstanceOfSatisfying(EnqueueFailedException.class,
                        e -> assertThat(e.taskIds()).hasSize(1));
            }
            List<String> stored = new ArrayList<>(rig.store.createdIds());
            assertThat(stored).hasSize(TASKS);
            for (String id : stored) {
                Task t = rig.store.get(id).orElseThrow();
                assertThat(t.status()).isEqualTo(TaskStatus.FAILED);
                assertThat(t.error().type()).isEqualTo(TaskError.ENQUEUE_FAILED);
            }
            report.recordRun(rig.store, stored, rig.store, rig.handler.totalStarts(), 0);
            report.write();
            assertThat(report.lost()).isZero();
            assertThat(report.completedTwice()).isZero();
        }

        @Test
        void a_retry_with_the_same_idempotency_key_after_an_enqueue_failure_gets_a_task_that_runs() throws Exception {
            AtomicInteger failuresLeft = new AtomicInteger(1);
            CoreRig[] holder = new CoreRig[1];
            EventPublisher flaky = event -> {
                if (failuresLeft.getAndDecrement() > 0) {
                    throw EventPublishException.refused("queue full for a moment (injected)", null);
                }
                holder[0].published.add(event);
            };
            CoreRig rig = new CoreRig(CountingHandler.instant(), flaky);
            holder[0] = rig;
            var data = Json.MAPPER.createObjectNode().put("n", 1);
            assertThatThrownBy(() -> rig.service.submit(CountingHandler.TYPE, data, "key-1"))
                    .isInstanceOf(EnqueueFailedException.class);
            // The API answered 503, so the client retries with the same key, as keys are meant for.
            TaskService.Submitted retry = rig.service.submit(CountingHandler.TYPE, data, "key-1");
            assertThat(retry.replayed()).isFalse();
            assertThat(rig.runner.run(rig.eventFor(retry.taskId()))).isInstanceOf(RunOutcome.Finished.class);
            assertThat(rig.store.get(retry.taskId()).orElseThrow().status()).isEqualTo(TaskStatus.SUCCEEDED);
        }

        @Test
        void with_the_broker_down_every_submit_is_accepted_and_the_reconciler_gets_every_task_run_once() {
            CoreRig rig = new CoreRig(CountingHandler.instant(), DOWN);
            ScenarioReport report = new ScenarioReport("core-publish-failure-broker-down",
                    "publish failure after the put (broker down: outcome unknown)", "memory");
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < TASKS; i++) {
                ids.add(rig.submit());
            }
            assertThat(ids).containsExactlyInAnyOrderElementsOf(rig.store.createdIds());
            assertThat(rig.store.getAll(ids).values()).allSatisfy(t -> assertThat(t.status()).isEqualTo(TaskStatus.PENDING));

            assertThat(reconcileAfterGrace(rig).republished()).isEqualTo(TASKS);
            assertThat(rig.published).hasSize(TASKS);
            for (TaskEvent e : rig.published) {
                assertThat(rig.runner.run(e)).isInstanceOf(RunOutcome.Finished.class);
            }
            report.recordRun(rig.store, ids, rig.store, rig.handler.totalStarts(), 0);
            report.write();
            assertThat(report.lost()).isZero();
            assertThat(report.completedTwice()).isZero();
            assertThat(report.ended()).containsExactly(Map.entry("SUCCEEDED", TASKS));
            ids.forEach(id -> assertThat(rig.handler.starts(id)).isEqualTo(1));
        }
    }

    @Nested
    class Through_the_api {
        @Test
        void the_api_answers_503_enqueue_failed_and_the_task_it_names_is_failed_not_pending() {
            CoreRig rig = new CoreRig(CountingHandler.instant(), REFUSING);
            TaskApi api = new TaskApi(rig.service, ApiOptions.defaults());
            ScenarioReport report = ScenarioReport.lifecycle("api-publish-refused",
                    "publish refused after the put, through the API (503 EnqueueFailed: the task is FAILED, never runs)", "memory");
            List<String> named = new ArrayList<>();
            for (int i = 0; i < TASKS; i++) {
                HttpResponse res = api.handle(new HttpRequest("POST", "/v1/tasks",
                        Map.of("Content-Type", List.of("application/json")), Map.of(),
                        ("{\"type\":\"" + CountingHandler.TYPE + "\",\"data\":{\"i\":" + i + "}}").getBytes(StandardCharsets.UTF_8),
                        "192.0.2.1"));
                assertThat(res.status()).isEqualTo(503);
                assertThat(res.header("Content-Type")).startsWith("application/problem+json");
                assertThat(res.header("Retry-After")).isNotBlank();
                var problem = Json.read(res.bodyText());
                assertThat(problem.get("type").asText()).endsWith("/enqueue-failed");
                named.add(problem.get("task_id").asText());
            }
            assertThat(named).containsExactlyInAnyOrderElementsOf(rig.store.createdIds());
            for (String id : named) {
                HttpResponse view = api.handle(new HttpRequest("GET", "/v1/tasks/" + id,
                        Map.of(), Map.of(), new byte[0], "192.0.2.1"));
                assertThat(view.status()).isEqualTo(200);
                assertThat(Json.read(view.bodyText()).get("status").asText()).isEqualTo("FAILED");
                assertThat(Json.read(view.bodyText()).at("/error/type").asText()).isEqualTo(TaskError.ENQUEUE_FAILED);
            }
            // The 503s named these tasks; a queued event that slipped through would run them now.
            reconcileAfterGrace(rig);
            for (TaskEvent e : rig.published) {
                if (e.event().equals(TaskEvent.SUBMITTED)) {
                    rig.runner.run(e);
                }
            }
            for (String id : named) {
                report.answeredFailed(id, rig.handler.starts(id));
            }
            report.recordRun(rig.store, named, rig.store, rig.handler.totalStarts(), 0);
            report.write();
            report.assertLifecycleZeros();
            assertThat(report.completedTwice()).isZero();
        }

        @Test
        void the_api_answers_202_when_the_broker_is_down_and_the_task_is_pending_until_the_reconciler_publishes_it() {
            CoreRig rig = new CoreRig(CountingHandler.instant(), DOWN);
            TaskApi api = new TaskApi(rig.service, ApiOptions.defaults());
            HttpResponse res = api.handle(new HttpRequest("POST", "/v1/tasks", Map.of("Content-Type", List.of("application/json")),
                    Map.of(), ("{\"type\":\"" + CountingHandler.TYPE + "\",\"data\":{}}").getBytes(StandardCharsets.UTF_8),
                    "192.0.2.1"));
            assertThat(res.status()).isEqualTo(202);
            String id = Json.read(res.bodyText()).get("task_id").asText();
            assertThat(res.header("Location")).isEqualTo("/v1/tasks/" + id);
            assertThat(rig.store.get(id).orElseThrow().status()).isEqualTo(TaskStatus.PENDING);
            reconcileAfterGrace(rig);
            assertThat(rig.published).extracting(TaskEvent::taskId).containsExactly(id);
        }

        @Test
        void a_store_outage_during_submit_is_a_503_and_leaves_nothing_behind() {
            CoreRig rig = new CoreRig(CountingHandler.instant());
            TaskApi api = new TaskApi(rig.service, ApiOptions.defaults());
            rig.store.outage(true);
            HttpResponse res = api.handle(new HttpRequest("POST", "/v1/tasks",
                    Map.of("Content-Type", List.of("application/json"), "Idempotency-Key", List.of("k-outage")),
                    Map.of(), ("{\"type\":\"" + CountingHandler.TYPE + "\",\"data\":{}}").getBytes(StandardCharsets.UTF_8),
                    "192.0.2.1"));
            rig.store.outage(false);
            assertThat(res.status()).isEqualTo(503);
            assertThat(res.header("Content-Type")).startsWith("application/problem+json");
            assertThat(rig.store.createdIds()).isEmpty();
            assertThat(rig.published).isEmpty();
        }
    }

    @Nested
    class Batch_submits {
        @Test
        void a_batch_whose_publish_fails_half_way_leaves_no_task_pending() throws Exception {
            CountingHandler handler = CountingHandler.instant();
            ScenarioReport report = ScenarioReport.lifecycle("core-partial-batch-publish",
                    "partial batch publish (broker gone after 3 of 10 events: all 10 answered stored, the reconciler publishes 7)",
                    "memory");
            for (int run = 0; run < 10; run++) {
                int startsBefore = handler.totalStarts();
                CoreRig rig = new CoreRig(handler);
                InProcessEventBus bus = new InProcessEventBus(100, Duration.ofSeconds(1));
                bus.start(rig.runner::run, 4);
                TaskService service = new TaskService(rig.store, new FailsAfter(bus, 3, false), rig.service.handlers(),
                        rig.clock, Duration.ofHours(1), "test", TaskService.DEFAULT_MAX_INPUT_BYTES);
                List<TaskService.Submission> batch = new ArrayList<>();
                for (int i = 0; i < 10; i++) {
                    batch.add(new TaskService.Submission(CountingHandler.TYPE, "{\"n\":" + i + "}"));
                }
                List<SubmitOutcome> outcomes = service.submitAll(batch);
                assertThat(outcomes).hasSize(10).allSatisfy(o -> assertThat(o).isInstanceOf(SubmitOutcome.Stored.class));
                rig.clock.advance(ReconcilerSettings.DEFAULTS.dispatchGrace());
                rig.reconciler(bus).runOnce(); // publishes the 7 the broker never took
                Eventually.await("the workers to drain the queue", Duration.ofSeconds(20), () -> bus.backlog() == 0);
                bus.shutdown(Duration.ofSeconds(10)); // lets the tasks the workers hold finish
                List<String> ids = new ArrayList<>(rig.store.createdIds());
                assertThat(ids).hasSize(10);
                assertNoneLeftPending(rig.store, ids);
                report.recordRun(rig.store, ids, rig.store, handler.totalStarts() - startsBefore, 0);
            }
            report.write();
            report.assertLifecycleZeros();
            assertThat(report.completedTwice()).isZero();
            assertThat(report.ended()).containsExactly(Map.entry("SUCCEEDED", 100));
        }

        @Test
        void a_batch_the_bus_refuses_half_way_reports_each_task_as_it_ends() throws Exception {
            CountingHandler handler = CountingHandler.instant();
            ScenarioReport report = ScenarioReport.lifecycle("core-partial-batch-refused",
                    "partial batch publish (bus refuses after 3 of 10 events: refused lines end EnqueueFailed, never run)", "memory");
            for (int run = 0; run < 10; run++) {
                int startsBefore = handler.totalStarts();
                CoreRig rig = new CoreRig(handler);
                InProcessEventBus bus = new InProcessEventBus(100, Duration.ofSeconds(1));
                bus.start(rig.runner::run, 4);
                TaskService service = new TaskService(rig.store, new FailsAfter(bus, 3, true), rig.service.handlers(),
                        rig.clock, Duration.ofHours(1), "test", TaskService.DEFAULT_MAX_INPUT_BYTES);
                List<TaskService.Submission> batch = new ArrayList<>();
                for (int i = 0; i < 10; i++) {
                    batch.add(new TaskService.Submission(CountingHandler.TYPE, "{\"n\":" + i + "}"));
                }
                List<SubmitOutcome> outcomes = service.submitAll(batch);
                bus.shutdown(Duration.ofSeconds(10));
                assertThat(outcomes).hasSize(10).filteredOn(o -> o instanceof SubmitOutcome.Refused).hasSizeGreaterThanOrEqualTo(7);
                for (SubmitOutcome o : outcomes) {
                    switch (o) {
                        case SubmitOutcome.Stored stored ->
                                assertThat(rig.store.get(stored.taskId()).orElseThrow().status()).isEqualTo(TaskStatus.SUCCEEDED);
                        case SubmitOutcome.Refused refused -> {
                            Task t = rig.store.get(refused.taskId()).orElseThrow();
                            assertThat(t.status()).isEqualTo(TaskStatus.FAILED);
                            assertThat(t.error().type()).isEqualTo(TaskError.ENQUEUE_FAILED);
                            assertThat(handler.starts(refused.taskId())).as("a refused task never runs").isZero();
                            report.answeredFailed(refused.taskId(), handler.starts(refused.taskId()));
                        }
                    }
                }
                report.recordRun(rig.store, new ArrayList<>(rig.store.createdIds()), rig.store,
                        handler.totalStarts() - startsBefore, 0);
            }
            report.write();
            report.assertLifecycleZeros();
        }

        private void assertNoneLeftPending(TaskStore store, List<String> ids) {
            for (String id : ids) {
                Task t = store.get(id).orElseThrow();
                assertThat(t.status()).as("task %s", id).isIn(TaskStatus.SUCCEEDED, TaskStatus.FAILED);
            }
        }
    }
}
