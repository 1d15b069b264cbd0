package dev.longtasks.task;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.longtasks.json.Json;
import dev.longtasks.store.MemoryTaskStore;
import dev.longtasks.testing.MutableClock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * What the core tells {@link TaskMetrics}, from the service (submit, cancel), the runner (claim,
 * end) and the reconciler, on the memory store with time moved by hand; and that a metric that
 * throws never changes what happens to a task.
 */
class TaskMetricsHooksTest {
    static final Duration GRACE = Duration.ofSeconds(60);
    static final Duration QUEUE_WAIT = Duration.ofMinutes(30);

    final MutableClock clock = MutableClock.startingNow();
    final MemoryTaskStore store = MemoryTaskStore.builder().clock(clock).build();
    final List<String> calls = new CopyOnWriteArrayList<>();
    final List<TaskEvent> published = new CopyOnWriteArrayList<>();

    /** Takes two seconds of the test's clock, or fails when asked to. */
    final TaskHandler tick = new TaskHandler() {
        @Override
        public String type() {
            return "tick";
        }

        @Override
        public JsonNode handle(JsonNode data, TaskContext context) {
            clock.advance(Duration.ofSeconds(2));
            if (data.path("fail").asBoolean()) {
                throw new IllegalStateException("asked to fail");
            }
            return Json.MAPPER.createObjectNode().put("ticked", true);
        }
    };

    final TaskMetrics recording = new TaskMetrics() {
        @Override
        public void submitted(String taskType) {
            calls.add("submitted " + taskType);
        }

        @Override
        public void started(String taskType, int attempt, Duration queueWait) {
            calls.add("started " + taskType + " attempt " + attempt + " waited " + queueWait);
        }

        @Override
        public void ended(String taskType, TaskStatus status, String errorType, Duration runTime) {
            calls.add("ended " + taskType + " " + status + " " + errorType + " ran " + runTime);
        }

        @Override
        public void reconciled(String action, int tasks) {
            calls.add("reconciled " + action + " " + tasks);
        }
    };

    final TaskMetrics broken = new TaskMetrics() {
        @Override
        public void submitted(String taskType) {
            throw new IllegalStateException("registry broken (injected)");
        }

        @Override
        public void started(String taskType, int attempt, Duration queueWait) {
            throw new IllegalStateException("registry broken (injected)");
        }

        @Override
        public void ended(String taskType, TaskStatus status, String errorType, Duration runTime) {
            throw new IllegalStateException("registry broken (injected)");
        }

        @Override
        public void reconciled(String action, int tasks) {
            throw new IllegalStateException("registry broken (injected)");
        }
    };

    TaskService service(TaskMetrics metrics) {
        return new TaskService(store, published::add, TaskHandlers.of(List.of(tick)), clock, Duration.ofHours(1), "test",
                TaskService.DEFAULT_MAX_INPUT_BYTES, GRACE, ReconcilerSettings.DEFAULT_OPEN_HORIZON, metrics);
    }

    TaskRunner runner(TaskMetrics metrics) {
        return new TaskRunner(store, TaskHandlers.of(List.of(tick)), published::add, RunnerSettings.DEFAULTS, clock, metrics);
    }

    Reconciler reconciler(TaskMetrics metrics) {
        return new Reconciler(store, published::add, new ReconcilerSettings(GRACE, QUEUE_WAIT, Duration.ofSeconds(60), 500),
                3, clock, "test", metrics);
    }

    String submit(TaskService service, String data) throws Exception {
        return service.submit("tick", Json.read(data), null).taskId();
    }

    @Nested
    class Recorded {
        @Test
        void a_submit_a_claim_after_three_seconds_and_a_run_of_two_seconds() throws Exception {
            String id = submit(service(recording), "{}");
            clock.advance(Duration.ofSeconds(3));

            runner(recording).run(TaskEvent.submitted(id, "tick", "test"));

            assertThat(calls).containsExactly("submitted tick", "started tick attempt 1 waited PT3S",
                    "ended tick SUCCEEDED null ran PT2S");
        }

        @Test
        void a_handler_failure_with_its_error_type() throws Exception {
            String id = submit(service(recording), "{\"fail\":true}");

            runner(recording).run(TaskEvent.submitted(id, "tick", "test"));

            assertThat(calls).contains("ended tick FAILED IllegalStateException ran PT2S");
        }

        @Test
        void a_cancel_of_a_pending_task_without_a_run_time() throws Exception {
            TaskService service = service(recording);
            String id = submit(service, "{}");

            service.cancel(id);
            service.cancel(id); // already ended: nothing more

            assertThat(calls).containsExactly("submitted tick", "ended tick CANCELLED null ran null");
        }

        @Test
        void a_retry_claims_without_a_queue_wait() throws Exception {
            String id = submit(service(recording), "{}");
            store.claim(id, 1_000); // an attempt that died
            clock.advance(Duration.ofSeconds(5));

            runner(recording).run(TaskEvent.submitted(id, "tick", "test"));

            assertThat(calls).contains("started tick attempt 2 waited null");
        }

        @Test
        void the_reconciler_actions_of_a_pass_and_the_tasks_it_fails() throws Exception {
            TaskService service = service(recording);
            submit(service, "{}");
            clock.advance(GRACE);
            reconciler(recording).runOnce();
            clock.advance(QUEUE_WAIT);
            reconciler(recording).runOnce();

            assertThat(calls).containsExactly("submitted tick", "reconciled republished 1",
                    "ended tick FAILED QueueTimeout ran null", "reconciled queue_timed_out 1");
        }
    }

    @Nested
    class A_metric_that_throws {
        @Test
        void changes_nothing_for_the_task_from_submit_to_its_end() throws Exception {
            String id = submit(service(broken), "{}");

            RunOutcome outcome = runner(broken).run(TaskEvent.submitted(id, "tick", "test"));

            assertThat(outcome).isInstanceOf(RunOutcome.Finished.class);
            assertThat(store.get(id).orElseThrow().status()).isEqualTo(TaskStatus.SUCCEEDED);
            assertThat(published).extracting(TaskEvent::event).containsExactly(TaskEvent.SUBMITTED, TaskEvent.SUCCEEDED);
        }

        @Test
        void changes_nothing_for_a_reconciler_pass() throws Exception {
            String id = submit(service(broken), "{}");
            clock.advance(GRACE);

            Reconciler.Pass pass = reconciler(broken).runOnce();

            assertThat(pass.republished()).isEqualTo(1);
            assertThat(pass.failed()).isZero();
            assertThat(store.get(id).orElseThrow().dispatches()).isEqualTo(1);
        }
    }
}
