package dev.longtasks.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.longtasks.json.Json;
import dev.longtasks.task.RunOutcome;
import dev.longtasks.task.TaskStatus;
import dev.longtasks.task.TaskStoreException;
import dev.longtasks.testing.CountingHandler;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The store goes away while a task runs (here at the worst moment: the handler is done and the
 * finish write fails). The runner must rethrow, so the delivery is retried, and the retry, once
 * the lease has passed, completes the task exactly once.
 */
class StoreOutageScenarioTest {
    static final int RUNS = 20;

    @Test
    void an_outage_at_finish_is_rethrown_and_a_redelivery_after_the_lease_completes_the_task() {
        AtomicReference<RecordingTaskStore> storeRef = new AtomicReference<>();
        CountingHandler handler = new CountingHandler((data, ctx) -> {
            if (ctx.attempt() == 1) {
                storeRef.get().outage(true); // the network drops just before the result is written
            }
            return Json.MAPPER.createObjectNode().put("attempt", ctx.attempt());
        });
        ScenarioReport report = new ScenarioReport("core-store-outage-while-running",
                "store outage while a task runs (finish write fails)", "memory (simulated outage)");
        List<String> all = new ArrayList<>();
        for (int run = 0; run < RUNS; run++) {
            CoreRig rig = new CoreRig(handler);
            storeRef.set(rig.store);
            String id = rig.submit();
            all.add(id);

            assertThatThrownBy(() -> rig.runner.run(rig.eventFor(id))).isInstanceOf(TaskStoreException.class);
            rig.store.outage(false);
            assertThat(rig.store.get(id).orElseThrow().status()).isEqualTo(TaskStatus.RUNNING);

            // An immediate retry is turned away while the dead attempt's lease is live ...
            assertThat(rig.runner.run(rig.eventFor(id))).isInstanceOf(RunOutcome.HeldElsewhere.class);
            rig.clock.advance(CoreRig.SETTINGS.lease().plusSeconds(1));
            // ... and the retry after it takes over and completes the task.
            assertThat(rig.runner.run(rig.eventFor(id))).isInstanceOfSatisfying(RunOutcome.Finished.class, f -> {
                assertThat(f.task().status()).isEqualTo(TaskStatus.SUCCEEDED);
                assertThat(f.task().attempt()).isEqualTo(2);
            });
            assertThat(rig.store.terminalWrites(id)).isEqualTo(1);
            report.recordRun(rig.store, List.of(id), rig.store, handler.starts(id),
                    CoreRig.SETTINGS.lease().plusSeconds(1).toMillis());
        }
        report.write();
        assertThat(report.lost()).isZero();
        assertThat(report.completedTwice()).isZero();
        assertThat(report.ended()).containsExactly(Map.entry("SUCCEEDED", RUNS));
        assertThat(all).hasSize(RUNS);
    }
}
