package dev.longtasks.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.longtasks.task.RunOutcome;
import dev.longtasks.task.Task;
import dev.longtasks.task.TaskError;
import dev.longtasks.task.TaskStatus;
import dev.longtasks.testing.CountingHandler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * A handler that would outlive the Lambda: the runner must record FAILED/TimedOut before the
 * budget runs out and stop the handler, never leave the task RUNNING. Time is moved by hand.
 */
class ListenerTimeoutScenarioTest {
    static final int RUNS = 10;
    static final Duration BUDGET = Duration.ofMinutes(15);

    @Test
    void a_handler_longer_than_the_budget_ends_failed_timed_out_and_is_interrupted() throws Exception {
        AtomicReference<CountDownLatch> started = new AtomicReference<>();
        AtomicReference<CountDownLatch> interrupted = new AtomicReference<>();
        CountingHandler handler = new CountingHandler((data, ctx) -> {
            started.get().countDown();
            try {
                Thread.sleep(Long.MAX_VALUE);
            } catch (InterruptedException e) {
                interrupted.get().countDown();
                throw e;
            }
            return null;
        });
        ScenarioReport report = new ScenarioReport("core-listener-timeout", "listener timeout (handler longer than the budget)", "memory");
        List<String> all = new ArrayList<>();
        for (int run = 0; run < RUNS; run++) {
            CoreRig rig = new CoreRig(handler);
            started.set(new CountDownLatch(1));
            interrupted.set(new CountDownLatch(1));
            String id = rig.submit();
            all.add(id);
            CompletableFuture<RunOutcome> outcome = CompletableFuture.supplyAsync(() -> rig.runner.run(rig.eventFor(id), BUDGET));
            assertThat(started.get().await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(rig.store.get(id).orElseThrow().status()).isEqualTo(TaskStatus.RUNNING);

            rig.clock.advance(BUDGET.minus(CoreRig.SETTINGS.safetyMargin()));

            assertThat(outcome.get(10, TimeUnit.SECONDS)).isInstanceOfSatisfying(RunOutcome.Finished.class, f -> {
                assertThat(f.task().status()).isEqualTo(TaskStatus.FAILED);
                assertThat(f.task().error().type()).isEqualTo(TaskError.TIMED_OUT);
            });
            assertThat(interrupted.get().await(10, TimeUnit.SECONDS)).as("the timed-out handler was interrupted").isTrue();
            Task end = rig.store.get(id).orElseThrow();
            assertThat(end.status()).isEqualTo(TaskStatus.FAILED);
            assertThat(end.finishedAt()).as("recorded before the Lambda would be killed")
                    .isBefore(rig.clock.instant().plus(CoreRig.SETTINGS.safetyMargin()));
            // Lambda's async retry redelivers the event: the task has ended, nothing runs again.
            assertThat(rig.runner.run(rig.eventFor(id), BUDGET)).isInstanceOf(RunOutcome.NothingToDo.class);
            report.recordRun(rig.store, List.of(id), rig.store, handler.starts(id), 0);
        }
        report.write();
        assertThat(report.lost()).isZero();
        assertThat(report.completedTwice()).isZero();
        assertThat(report.ended()).containsExactly(Map.entry("FAILED", RUNS));
        assertThat(all).hasSize(RUNS);
    }
}
