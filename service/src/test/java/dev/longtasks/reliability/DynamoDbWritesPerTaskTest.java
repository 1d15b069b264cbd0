package dev.longtasks.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.longtasks.json.Json;
import dev.longtasks.task.RunOutcome;
import dev.longtasks.task.RunnerSettings;
import dev.longtasks.task.TaskHandlers;
import dev.longtasks.task.TaskRunner;
import dev.longtasks.task.TaskStatus;
import dev.longtasks.testing.CountingHandler;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What one task's life costs in DynamoDB writes, counted at the wire (the fault proxy in front of
 * dynalite): the figure BENCHMARKS.md prices. Before issue 10 it was 1 PutItem + 3 UpdateItem
 * (claim; finish, whose first conditional form fails when the task never reported progress);
 * issue 10 adds the write that records the completion event as sent, which also takes the task out
 * of the open-task index. The index itself is written by the PutItem, the claim, the finish and
 * that last write (4 GSI writes); heartbeats and progress never touch it.
 */
class DynamoDbWritesPerTaskTest {
    /** A heartbeat only after 10 s, so that none falls inside these short runs. */
    static final RunnerSettings QUIET = new RunnerSettings(Duration.ofSeconds(30), Duration.ofSeconds(10), 3, Duration.ofSeconds(5));

    static TaskRunner runner(AwsRig rig, CountingHandler handler) {
        return new TaskRunner(rig.store, TaskHandlers.of(List.of(handler)), null, QUIET, rig.clock);
    }

    @Test
    void a_task_that_reports_no_progress_costs_one_put_and_four_updates() throws Exception {
        CountingHandler handler = CountingHandler.instant();
        try (AwsRig rig = new AwsRig(handler)) {
            String id = rig.service.submit(CountingHandler.TYPE, Json.MAPPER.createObjectNode(), null).taskId();
            assertThat(runner(rig, handler).run(rig.published.getFirst(), Duration.ofMinutes(15))).isInstanceOf(RunOutcome.Finished.class);
            assertThat(rig.store.get(id).orElseThrow().status()).isEqualTo(TaskStatus.SUCCEEDED);

            assertThat(rig.proxy.requestsForwarded("PutItem")).isEqualTo(1);
            assertThat(rig.proxy.requestsForwarded("UpdateItem")).as("claim, finish (two conditional forms), completion sent")
                    .isEqualTo(4);
            assertThat(rig.proxy.requestsForwarded("BatchWriteItem")).isZero();
        }
    }

    @Test
    void progress_is_one_update_each_and_the_finish_then_needs_one_form() throws Exception {
        CountingHandler handler = new CountingHandler((data, ctx) -> {
            ctx.progress(50, "half");
            return Json.MAPPER.createObjectNode();
        });
        try (AwsRig rig = new AwsRig(handler)) {
            rig.service.submit(CountingHandler.TYPE, Json.MAPPER.createObjectNode(), null);
            runner(rig, handler).run(rig.published.getFirst(), Duration.ofMinutes(15));

            assertThat(rig.proxy.requestsForwarded("PutItem")).isEqualTo(1);
            assertThat(rig.proxy.requestsForwarded("UpdateItem")).as("claim, progress, finish, completion sent").isEqualTo(4);
        }
    }
}
