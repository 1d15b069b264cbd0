package dev.longtasks.task;

import static org.assertj.core.api.Assertions.assertThat;

import dev.longtasks.handlers.ExampleHandler;
import dev.longtasks.handlers.NoopHandler;
import dev.longtasks.json.Json;
import dev.longtasks.store.MemoryTaskStore;
import dev.longtasks.testing.Eventually;
import dev.longtasks.testing.MutableClock;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** Claim, run, finish against the real memory store. */
class TaskRunnerTest {
    private final List<TaskEvent> completions = Collections.synchronizedList(new ArrayList<>());

    private record Rig(MemoryTaskStore store, TaskRunner runner) {
        String pending(String type, String dataJson) {
            String id = UUID.randomUUID().toString();
            store.create(Task.pending(id, type, dataJson, Instant.now(), 3600));
            return id;
        }

        Task task(String id) {
            return store.get(id).orElseThrow();
        }
    }

    private Rig rig(RunnerSettings settings, Clock clock) {
        MemoryTaskStore store = MemoryTaskStore.builder().clock(clock).build();
        TaskHandlers handlers = TaskHandlers.of(List.of(new ExampleHandler(), new NoopHandler()));
        return new Rig(store, new TaskRunner(store, handlers, completions::add, settings, clock));
    }

    private Rig rig() {
        return rig(RunnerSettings.DEFAULTS, Clock.systemUTC());
    }

    private static TaskEvent submitted(String id, String type) {
        return TaskEvent.submitted(id, type, "test");
    }

    @Nested
    class Running {
        @Test
        void a_successful_handler_ends_succeeded_with_its_result_and_a_completion_event() {
            Rig r = rig();
            String id = r.pending("example", "{\"steps\":2,\"step_ms\":0}");

            RunOutcome outcome = r.runner().run(submitted(id, "example"));

            assertThat(outcome).isInstanceOf(RunOutcome.Finished.class);
            Task t = r.task(id);
            assertThat(t.status()).isEqualTo(TaskStatus.SUCCEEDED);
            assertThat(Json.read(t.result()).get("steps_completed").asInt()).isEqualTo(2);
            assertThat(t.attempt()).isEqualTo(1);
            assertThat(t.startedAt()).isNotNull();
            assertThat(t.finishedAt()).isNotNull();
            assertThat(completions).extracting(TaskEvent::event).containsExactly(TaskEvent.SUCCEEDED);
        }

        @Test
        void a_failing_handler_ends_failed_with_the_error_type_and_message() {
            Rig r = rig();
            String id = r.pending("example", "{\"steps\":3,\"step_ms\":0,\"fail_at_step\":2}");

            r.runner().run(submitted(id, "example"));

            Task t = r.task(id);
            assertThat(t.status()).isEqualTo(TaskStatus.FAILED);
            assertThat(t.error().type()).isEqualTo("ExampleStepFailedException");
            assertThat(t.error().message()).isEqualTo("step 2 of 3 failed, as requested by fail_at_step");
            assertThat(t.progress().percent()).isEqualTo(33);
            assertThat(completions).extracting(TaskEvent::event).containsExactly(TaskEvent.FAILED);
        }

        @Test
        void an_event_that_is_not_a_submission_is_ignored() {
            Rig r = rig();
            String id = r.pending("noop", "{}");

            RunOutcome outcome = r.runner().run(new TaskEvent(id, "noop", TaskEvent.SUCCEEDED, "test"));

            assertThat(outcome).isInstanceOf(RunOutcome.Ignored.class);
            assertThat(r.task(id).status()).isEqualTo(TaskStatus.PENDING);
        }

        @Test
        void a_duplicate_event_does_nothing_to_a_finished_task() {
            Rig r = rig();
            String id = r.pending("noop", "{}");
            r.runner().run(submitted(id, "noop"));
            Task first = r.task(id);

            RunOutcome again = r.runner().run(submitted(id, "noop"));

            assertThat(again).isInstanceOf(RunOutcome.NothingToDo.class);
            assertThat(r.task(id)).isEqualTo(first);
            assertThat(r.task(id).attempt()).isEqualTo(1);
        }
    }

    @Nested
    class Cancelling {
        @Test
        void a_task_cancelled_while_pending_is_never_run() {
            Rig r = rig();
            String id = r.pending("noop", "{}");
            r.store().cancel(id);

            RunOutcome outcome = r.runner().run(submitted(id, "noop"));

            assertThat(outcome).isInstanceOf(RunOutcome.NothingToDo.class);
            assertThat(r.task(id).status()).isEqualTo(TaskStatus.CANCELLED);
            assertThat(r.task(id).attempt()).isZero();
        }

        @Test
        void a_running_task_stops_at_its_next_step_and_ends_cancelled() {
            Rig r = rig();
            String id = r.pending("example", "{\"steps\":2000,\"step_ms\":10}");
            CompletableFuture<RunOutcome> run = CompletableFuture.supplyAsync(() -> r.runner().run(submitted(id, "example")));
            Eventually.until(() -> r.task(id), t -> t.status() == TaskStatus.RUNNING, "RUNNING");

            r.store().cancel(id);

            assertThat(run.join()).isInstanceOf(RunOutcome.Finished.class);
            Task t = r.task(id);
            assertThat(t.status()).isEqualTo(TaskStatus.CANCELLED);
            assertThat(t.progress() == null || t.progress().percent() < 100).isTrue();
        }
    }

    @Nested
    class Leases {
        @Test
        void an_expired_lease_is_reclaimed_with_attempt_2_and_the_old_attempt_is_fenced_off() {
            MutableClock clock = new MutableClock(Instant.now());
            Rig r = rig(RunnerSettings.DEFAULTS, clock);
            String id = r.pending("noop", "{}");
            Task first = r.store().claim(id, 1000).orElseThrow();   // a worker that then crashed
            assertThat(first.attempt()).isEqualTo(1);

            clock.advance(Duration.ofSeconds(2));
            RunOutcome outcome = r.runner().run(submitted(id, "noop"));

            assertThat(outcome).isInstanceOf(RunOutcome.Finished.class);
            Task t = r.task(id);
            assertThat(t.status()).isEqualTo(TaskStatus.SUCCEEDED);
            assertThat(t.attempt()).isEqualTo(2);
            // The first worker wakes up late and tries to record its own end: refused.
            assertThat(r.store().finish(id, 1, TaskStatus.FAILED, null, new TaskError("Late", "late"))).isEmpty();
            assertThat(r.store().progress(id, 1, new Progress(50, "late"), 1000)).isEmpty();
            assertThat(r.task(id).status()).isEqualTo(TaskStatus.SUCCEEDED);
        }

        @Test
        void a_live_lease_held_elsewhere_is_left_alone() {
            MutableClock clock = new MutableClock(Instant.now());
            Rig r = rig(RunnerSettings.DEFAULTS, clock);
            String id = r.pending("noop", "{}");
            r.store().claim(id, 60_000);

            RunOutcome outcome = r.runner().run(submitted(id, "noop"));

            assertThat(outcome).isInstanceOf(RunOutcome.HeldElsewhere.class);
            assertThat(r.task(id).attempt()).isEqualTo(1);
        }

        @Test
        void a_task_claimed_more_than_max_attempts_times_ends_failed() {
            MutableClock clock = new MutableClock(Instant.now());
            Rig r = rig(RunnerSettings.DEFAULTS.withMaxAttempts(1), clock);
            String id = r.pending("noop", "{}");
            r.store().claim(id, 1000);
            clock.advance(Duration.ofSeconds(2));

            r.runner().run(submitted(id, "noop"));

            Task t = r.task(id);
            assertThat(t.status()).isEqualTo(TaskStatus.FAILED);
            assertThat(t.error().type()).isEqualTo(TaskError.MAX_ATTEMPTS_EXCEEDED);
            assertThat(t.attempt()).isEqualTo(2);
        }
    }

    @Nested
    class Timeouts {
        @Test
        void a_task_that_outlives_its_budget_ends_timed_out() {
            Rig r = rig(RunnerSettings.DEFAULTS.withSafetyMargin(Duration.ZERO), Clock.systemUTC());
            String id = r.pending("example", "{\"steps\":1,\"step_ms\":60000}");

            RunOutcome outcome = r.runner().run(submitted(id, "example"), Duration.ofMillis(200));

            assertThat(outcome).isInstanceOf(RunOutcome.Finished.class);
            Task t = r.task(id);
            assertThat(t.status()).isEqualTo(TaskStatus.FAILED);
            assertThat(t.error().type()).isEqualTo(TaskError.TIMED_OUT);
        }
    }

    @Nested
    class UnknownTypes {
        @Test
        void a_stored_task_of_an_unregistered_type_ends_failed() {
            Rig r = rig();
            String id = r.pending("gone", "{}");

            r.runner().run(submitted(id, "gone"));

            assertThat(r.task(id).error().type()).isEqualTo(TaskError.UNKNOWN_TASK_TYPE);
        }
    }
}
