package dev.longtasks.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.longtasks.json.Json;
import dev.longtasks.task.Progress;
import dev.longtasks.task.RunOutcome;
import dev.longtasks.task.Task;
import dev.longtasks.task.TaskContext;
import dev.longtasks.task.TaskRunner;
import dev.longtasks.task.TaskStatus;
import dev.longtasks.testing.CountingHandler;
import dev.longtasks.testing.MutableClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * Worker 1 claims a task and then stalls (a GC pause, a frozen VM: its own clock stops, so it
 * sends no heartbeats) past its lease. Worker 2 re-claims the task as attempt 2 and finishes it.
 * When worker 1 wakes up, its late progress or finish is fenced off by the attempt number.
 */
class LeaseExpiryRaceScenarioTest {
    static final int RUNS = 20;

    /** Per-task gates: attempt 1 parks until released, then does {@code late}; attempt 2 finishes at once. */
    private static final class Stall {
        final CountDownLatch firstStarted = new CountDownLatch(1);
        final CountDownLatch releaseFirst = new CountDownLatch(1);
    }

    private enum Late { FINISH, PROGRESS }

    private ScenarioReport run(String slug, String title, Late late) throws Exception {
        AtomicReference<Stall> stall = new AtomicReference<>();
        CountingHandler handler = new CountingHandler((data, ctx) -> body(stall.get(), ctx, late));
        ScenarioReport report = new ScenarioReport(slug, title, "memory");
        for (int run = 0; run < RUNS; run++) {
            CoreRig rig = new CoreRig(handler);
            stall.set(new Stall());
            String id = rig.submit();
            TaskRunner worker1 = rig.runner(new MutableClock(rig.clock.instant())); // its clock never moves: no heartbeats
            TaskRunner worker2 = rig.runner;

            CompletableFuture<RunOutcome> first = CompletableFuture.supplyAsync(() -> worker1.run(rig.eventFor(id)));
            assertThat(stall.get().firstStarted.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(worker2.run(rig.eventFor(id))).as("the lease is still live").isInstanceOf(RunOutcome.HeldElsewhere.class);

            rig.clock.advance(CoreRig.SETTINGS.lease().plusSeconds(1));
            RunOutcome second = worker2.run(rig.eventFor(id));
            assertThat(second).isInstanceOfSatisfying(RunOutcome.Finished.class,
                    f -> assertThat(f.task().attempt()).isEqualTo(2));
            Task won = rig.store.get(id).orElseThrow();

            stall.get().releaseFirst.countDown();
            assertThat(first.get(10, TimeUnit.SECONDS)).isInstanceOfSatisfying(RunOutcome.LostLease.class,
                    l -> assertThat(l.attempt()).isEqualTo(1));

            Task end = rig.store.get(id).orElseThrow();
            assertThat(end).as("worker 1's late write changed nothing").isEqualTo(won);
            assertThat(end.status()).isEqualTo(TaskStatus.SUCCEEDED);
            assertThat(Json.read(end.result()).get("by").asText()).isEqualTo("worker2");
            assertThat(rig.store.terminalWrites(id)).isEqualTo(1);
            report.recordRun(rig.store, List.of(id), rig.store, handler.starts(id), CoreRig.SETTINGS.lease().plusSeconds(1).toMillis());
        }
        report.write();
        assertThat(report.lost()).isZero();
        assertThat(report.completedTwice()).isZero();
        return report;
    }

    private static JsonNode body(Stall stall, TaskContext ctx, Late late) throws InterruptedException {
        if (ctx.attempt() == 1) {
            stall.firstStarted.countDown();
            stall.releaseFirst.await();
            if (late == Late.PROGRESS) {
                ctx.progress(50, "worker 1 woke up"); // fenced: throws LostLeaseException
            }
            return Json.MAPPER.createObjectNode().put("by", "worker1");
        }
        return Json.MAPPER.createObjectNode().put("by", "worker2");
    }

    @Nested
    class Late_finish {
        @Test
        void the_stalled_workers_late_finish_is_fenced_and_the_second_attempts_result_stands() throws Exception {
            ScenarioReport r = run("core-lease-race-late-finish", "lease expiry race: late finish of the stalled worker", Late.FINISH);
            assertThat(r.ended()).containsEntry("SUCCEEDED", RUNS);
        }
    }

    @Nested
    class Late_progress {
        @Test
        void the_stalled_workers_late_progress_is_fenced_and_it_stops() throws Exception {
            ScenarioReport r = run("core-lease-race-late-progress", "lease expiry race: late progress of the stalled worker", Late.PROGRESS);
            assertThat(r.ended()).containsEntry("SUCCEEDED", RUNS);
        }
    }

    @Nested
    class Fencing_while_both_run {
        @Test
        void the_old_attempt_cannot_write_progress_while_the_new_one_holds_the_task() {
            CoreRig rig = new CoreRig(CountingHandler.instant());
            String id = rig.submit();
            Task a1 = rig.store.claim(id, CoreRig.SETTINGS.lease().toMillis()).orElseThrow();
            rig.clock.advance(Duration.ofMinutes(1));
            Task a2 = rig.store.claim(id, CoreRig.SETTINGS.lease().toMillis()).orElseThrow();
            assertThat(a2.attempt()).isEqualTo(a1.attempt() + 1);
            assertThat(rig.store.progress(id, a1.attempt(), new Progress(99, "old"), 30_000)).isEmpty();
            assertThat(rig.store.finish(id, a1.attempt(), TaskStatus.FAILED, null, null)).isEmpty();
            List<Task> after = new ArrayList<>(List.of(rig.store.get(id).orElseThrow()));
            assertThat(after.getFirst().status()).isEqualTo(TaskStatus.RUNNING);
            assertThat(after.getFirst().attempt()).isEqualTo(2);
            assertThat(after.getFirst().progress()).isNull();
        }
    }
}
