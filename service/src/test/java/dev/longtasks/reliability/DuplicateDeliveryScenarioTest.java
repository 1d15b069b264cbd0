package dev.longtasks.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.longtasks.json.Json;
import dev.longtasks.task.RunOutcome;
import dev.longtasks.task.TaskEvent;
import dev.longtasks.testing.CountingHandler;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** At-least-once buses deliver twice: the handler must still run once per task. */
class DuplicateDeliveryScenarioTest {
    static final int RUNS = 5;
    static final int TASKS = 50;
    static final int COPIES = 8;

    @Nested
    class Sequential_duplicates {
        @Test
        void a_second_delivery_of_every_event_runs_nothing() {
            ScenarioReport report = new ScenarioReport("core-duplicate-delivery", "duplicate delivery (sequential)", "memory");
            for (int run = 0; run < RUNS; run++) {
                runSequential(report);
            }
            report.write();
            assertThat(report.lost()).isZero();
            assertThat(report.completedTwice()).isZero();
            assertThat(report.ended()).containsExactly(Map.entry("SUCCEEDED", RUNS * TASKS));
        }

        private void runSequential(ScenarioReport report) {
            CoreRig rig = new CoreRig(CountingHandler.instant());
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < TASKS; i++) {
                ids.add(rig.submit());
            }
            for (TaskEvent e : rig.published) {
                assertThat(rig.runner.run(e)).isInstanceOf(RunOutcome.Finished.class);
                assertThat(rig.runner.run(e)).isInstanceOfSatisfying(RunOutcome.NothingToDo.class,
                        n -> assertThat(n.reason()).isEqualTo("already SUCCEEDED"));
            }
            ids.forEach(id -> assertThat(rig.handler.starts(id)).isEqualTo(1));
            report.recordRun(rig.store, ids, rig.store, rig.handler.totalStarts(), 0);
        }
    }

    @Nested
    class Concurrent_duplicates {
        @Test
        void eight_simultaneous_deliveries_of_every_event_run_the_handler_once() throws Exception {
            // The winner's handler waits until every other copy has been turned away, so the
            // deliveries really overlap (no sleeps, no luck involved).
            AtomicReference<CountDownLatch> othersDone = new AtomicReference<>();
            CountingHandler handler = new CountingHandler((data, ctx) -> {
                othersDone.get().await(10, TimeUnit.SECONDS);
                return Json.MAPPER.createObjectNode().put("ok", true);
            });
            ScenarioReport report = new ScenarioReport("core-concurrent-duplicate-delivery",
                    "concurrent duplicate deliveries (8 copies at once)", "memory");
            for (int run = 0; run < RUNS; run++) {
                runConcurrent(report, handler, othersDone);
            }
            report.write();
            assertThat(report.lost()).isZero();
            assertThat(report.completedTwice()).isZero();
            assertThat(report.ended()).containsExactly(Map.entry("SUCCEEDED", RUNS * TASKS));
        }

        private void runConcurrent(ScenarioReport report, CountingHandler handler,
                                   AtomicReference<CountDownLatch> othersDone) throws InterruptedException {
            CoreRig rig = new CoreRig(handler);
            int startsBefore = handler.totalStarts();
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < TASKS; i++) {
                String id = rig.submit();
                ids.add(id);
                othersDone.set(new CountDownLatch(COPIES - 1));
                ConcurrentLinkedQueue<RunOutcome> outcomes = deliverConcurrently(rig, rig.eventFor(id), othersDone.get());
                assertThat(outcomes).hasSize(COPIES);
                assertThat(outcomes).filteredOn(o -> o instanceof RunOutcome.Finished).hasSize(1);
                // Turned-away copies are requeued by real consumers; their redelivery finds the task ended.
                for (RunOutcome o : outcomes) {
                    if (o instanceof RunOutcome.HeldElsewhere) {
                        assertThat(rig.runner.run(rig.eventFor(id))).isInstanceOf(RunOutcome.NothingToDo.class);
                    }
                }
                assertThat(handler.starts(id)).isEqualTo(1);
            }
            report.recordRun(rig.store, ids, rig.store, handler.totalStarts() - startsBefore, 0);
        }

        private ConcurrentLinkedQueue<RunOutcome> deliverConcurrently(CoreRig rig, TaskEvent event, CountDownLatch othersDone)
                throws InterruptedException {
            ConcurrentLinkedQueue<RunOutcome> outcomes = new ConcurrentLinkedQueue<>();
            CountDownLatch go = new CountDownLatch(1);
            List<Thread> threads = new ArrayList<>();
            for (int c = 0; c < COPIES; c++) {
                threads.add(Thread.ofVirtual().start(() -> {
                    try {
                        go.await();
                        RunOutcome o = rig.runner.run(event);
                        outcomes.add(o);
                        if (!(o instanceof RunOutcome.Finished)) {
                            othersDone.countDown();
                        }
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }));
            }
            go.countDown();
            for (Thread t : threads) {
                t.join();
            }
            return outcomes;
        }
    }
}
