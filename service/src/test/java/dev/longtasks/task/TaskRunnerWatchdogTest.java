package dev.longtasks.task;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.longtasks.json.Json;
import dev.longtasks.store.MemoryTaskStore;
import dev.longtasks.testing.Eventually;
import dev.longtasks.testing.MutableClock;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The handler runs on the thread that calls the runner; the runner's watchdog keeps the lease,
 * the deadline and the fencing that a separate waiting thread used to keep.
 */
class TaskRunnerWatchdogTest {

    private record Handler(String type, Body body) implements TaskHandler {
        @Override
        public JsonNode handle(JsonNode data, TaskContext context) throws Exception {
            return body.run(context);
        }
    }

    private interface Body {
        JsonNode run(TaskContext context) throws Exception;
    }

    private static String pending(MemoryTaskStore store, String type) {
        String id = UUID.randomUUID().toString();
        store.create(Task.pending(id, type, "{}", Instant.now(), 3600));
        return id;
    }

    private static TaskRunner runner(MemoryTaskStore store, RunnerSettings settings, Clock clock, Body body) {
        return new TaskRunner(store, TaskHandlers.of(List.of(new Handler("probe", body))), e -> { }, settings, clock);
    }

    @Test
    void the_handler_runs_on_the_thread_that_calls_the_runner() {
        MemoryTaskStore store = MemoryTaskStore.builder().build();
        AtomicReference<Thread> ranOn = new AtomicReference<>();
        TaskRunner runner = runner(store, RunnerSettings.DEFAULTS, Clock.systemUTC(), ctx -> {
            ranOn.set(Thread.currentThread());
            return Json.MAPPER.createObjectNode().put("ok", true);
        });
        String id = pending(store, "probe");

        RunOutcome outcome = runner.run(TaskEvent.submitted(id, "probe", "test"));

        assertThat(outcome).isInstanceOf(RunOutcome.Finished.class);
        assertThat(store.get(id).orElseThrow().status()).isEqualTo(TaskStatus.SUCCEEDED);
        assertThat(ranOn.get()).isSameAs(Thread.currentThread());
        assertThat(Thread.currentThread().isInterrupted()).isFalse();
    }

    @Test
    void a_handler_that_ignores_its_interrupt_is_recorded_timed_out_at_the_deadline_and_its_late_result_is_fenced_off()
            throws Exception {
        MemoryTaskStore store = MemoryTaskStore.builder().build();
        CountDownLatch release = new CountDownLatch(1);
        AtomicBoolean sawInterrupt = new AtomicBoolean();
        TaskRunner runner = runner(store, RunnerSettings.DEFAULTS.withSafetyMargin(Duration.ZERO), Clock.systemUTC(), ctx -> {
            while (true) {
                try {
                    if (release.await(10, TimeUnit.SECONDS)) {
                        return Json.MAPPER.createObjectNode().put("late", true);
                    }
                } catch (InterruptedException e) {
                    sawInterrupt.set(true); // ignored on purpose
                }
            }
        });
        String id = pending(store, "probe");

        CompletableFuture<RunOutcome> run = CompletableFuture.supplyAsync(
                () -> runner.run(TaskEvent.submitted(id, "probe", "test"), Duration.ofMillis(300)));
        Task timedOut = Eventually.until(() -> store.get(id).orElseThrow(), t -> t.status().isTerminal(), "a terminal state");

        assertThat(timedOut.status()).isEqualTo(TaskStatus.FAILED);
        assertThat(timedOut.error().type()).isEqualTo(TaskError.TIMED_OUT);
        assertThat(run).isNotDone(); // the handler still runs: the record did not wait for it
        Eventually.until(sawInterrupt::get, Boolean::booleanValue, "the handler interrupted");
        release.countDown();
        RunOutcome outcome = run.get(10, TimeUnit.SECONDS);

        assertThat(outcome).isInstanceOf(RunOutcome.Finished.class);
        assertThat(((RunOutcome.Finished) outcome).task().error().type()).isEqualTo(TaskError.TIMED_OUT);
        assertThat(store.get(id).orElseThrow().result()).isNull();
    }

    @Test
    void a_lease_lost_while_the_handler_runs_interrupts_it_and_the_run_answers_lost_lease() throws Exception {
        MutableClock clock = new MutableClock(Instant.now());
        MemoryTaskStore store = MemoryTaskStore.builder().clock(clock).build();
        CountDownLatch started = new CountDownLatch(1);
        AtomicBoolean interrupted = new AtomicBoolean();
        TaskRunner runner = runner(store, RunnerSettings.DEFAULTS, clock, ctx -> {
            started.countDown();
            try {
                Thread.sleep(60_000);
            } catch (InterruptedException e) {
                interrupted.set(true);
                throw e;
            }
            return null;
        });
        String id = pending(store, "probe");
        CompletableFuture<RunOutcome> run = CompletableFuture.supplyAsync(() -> runner.run(TaskEvent.submitted(id, "probe", "test")));
        assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();

        // Past the 30 s lease, another worker takes the task over (again if a heartbeat slipped in between).
        Task takenOver = Eventually.until(() -> {
            clock.advance(Duration.ofSeconds(31));
            return store.claim(id, 30_000);
        }, Optional::isPresent, "a takeover").orElseThrow();
        assertThat(takenOver.attempt()).isEqualTo(2);

        RunOutcome outcome = run.get(10, TimeUnit.SECONDS);
        assertThat(outcome).isInstanceOf(RunOutcome.LostLease.class);
        assertThat(interrupted).isTrue();
        Task t = store.get(id).orElseThrow();
        assertThat(t.status()).isEqualTo(TaskStatus.RUNNING);
        assertThat(t.attempt()).isEqualTo(2);
    }

    @Test
    void the_watchdog_renews_the_lease_of_a_handler_that_never_writes() throws Exception {
        MemoryTaskStore store = MemoryTaskStore.builder().build();
        CountDownLatch release = new CountDownLatch(1);
        RunnerSettings settings = RunnerSettings.DEFAULTS.withLease(Duration.ofMillis(1500)); // heartbeat 500 ms
        TaskRunner runner = runner(store, settings, Clock.systemUTC(), ctx -> {
            release.await();
            return null;
        });
        String id = pending(store, "probe");
        CompletableFuture<RunOutcome> run = CompletableFuture.supplyAsync(() -> runner.run(TaskEvent.submitted(id, "probe", "test")));
        Eventually.until(() -> store.get(id).orElseThrow(), t -> t.status() == TaskStatus.RUNNING, "RUNNING");
        long firstLease = store.get(id).orElseThrow().leaseUntil();

        Eventually.until(() -> store.get(id).orElseThrow().leaseUntil(), lease -> lease > firstLease, "a renewed lease");
        Thread.sleep(2000); // longer than the lease: without heartbeats another worker could claim it now
        assertThat(store.claim(id, 1500)).isEmpty();
        release.countDown();

        assertThat(run.get(10, TimeUnit.SECONDS)).isInstanceOf(RunOutcome.Finished.class);
        assertThat(store.get(id).orElseThrow().status()).isEqualTo(TaskStatus.SUCCEEDED);
        assertThat(store.get(id).orElseThrow().attempt()).isEqualTo(1);
    }
}
