package dev.longtasks.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.longtasks.store.MemoryTaskStore;
import dev.longtasks.task.Task;
import dev.longtasks.testing.MutableClock;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The three lifecycle counts catch what they are meant to: the zeros the scenarios assert can fail. */
class ScenarioReportTest {
    @Test
    void an_open_task_outside_the_index_is_stranded_one_inside_it_is_only_not_ended_and_a_failure_answer_for_work_that_ran_counts() {
        MutableClock clock = MutableClock.startingNow();
        MemoryTaskStore store = MemoryTaskStore.builder().clock(clock).build();
        Task unindexed = Task.pending("t-unindexed", "noop", "{}", clock.instant(), 3600);
        Task indexed = Task.pending("t-indexed", "noop", "{}", clock.instant(), 3600).withDueAt(clock.millis() + 60_000);
        store.create(unindexed);
        store.create(indexed);

        ScenarioReport report = ScenarioReport.lifecycle("report-self-test", "self test", "memory");
        report.answeredFailed("t-indexed", 1);
        report.answeredFailed("t-unindexed", 0);
        report.recordRun(store, List.of("t-unindexed", "t-indexed", "t-missing"), null, 1, 0);

        assertThat(report.lost()).as("not ended or gone").isEqualTo(3);
        assertThat(report.stranded()).as("open and absent from the open-task index").isEqualTo(1);
        assertThat(report.answeredFailedButRan()).isEqualTo(1);
        assertThatThrownBy(report::assertLifecycleZeros).isInstanceOf(AssertionError.class)
                .hasMessageContaining("lost 3, answered failed but ran 1, stranded 1");
    }
}
