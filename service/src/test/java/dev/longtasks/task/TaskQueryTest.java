package dev.longtasks.task;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.Set;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The query and the position of a listing: limits, filters and the newest-first order. */
class TaskQueryTest {
    private static final Instant T = Instant.parse("2026-11-26T18:00:00Z");

    private static Task task(String id, String type, TaskStatus status, Instant created) {
        return new Task(id, type, status, "{}", null, null, null, 0, 0L, false, created, created, null, null, 0L);
    }

    @Nested
    class A_query {
        @Test
        void takes_a_limit_from_1_to_500_only() {
            assertThat(TaskQuery.since(T).withLimit(1).limit()).isEqualTo(1);
            assertThat(TaskQuery.since(T).withLimit(500).limit()).isEqualTo(500);
            assertThat(TaskQuery.since(T).limit()).isEqualTo(50);
            assertThatThrownBy(() -> TaskQuery.since(T).withLimit(0)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> TaskQuery.since(T).withLimit(501)).isInstanceOf(IllegalArgumentException.class);
        }

        @Test
        void matches_by_status_type_and_an_inclusive_since_with_empty_sets_meaning_all() {
            TaskQuery q = TaskQuery.since(T).withStatuses(Set.of(TaskStatus.FAILED)).withTypes(Set.of("noop"));

            assertThat(q.matches(task("a", "noop", TaskStatus.FAILED, T))).isTrue();
            assertThat(q.matches(task("a", "noop", TaskStatus.FAILED, T.minusNanos(1)))).isFalse();
            assertThat(q.matches(task("a", "example", TaskStatus.FAILED, T))).isFalse();
            assertThat(q.matches(task("a", "noop", TaskStatus.RUNNING, T))).isFalse();
            assertThat(TaskQuery.since(T).matches(task("a", "anything", TaskStatus.PENDING, T.plusSeconds(1)))).isTrue();
        }

        @Test
        void admits_only_what_follows_its_cursor() {
            Task at = task("b", "noop", TaskStatus.PENDING, T);
            TaskQuery q = TaskQuery.since(Instant.EPOCH).after(TaskCursor.of(at));

            assertThat(q.admits(at)).as("the cursor's own task").isFalse();
            assertThat(q.admits(task("a", "noop", TaskStatus.PENDING, T))).as("same instant, smaller id").isTrue();
            assertThat(q.admits(task("c", "noop", TaskStatus.PENDING, T))).as("same instant, larger id").isFalse();
            assertThat(q.admits(task("z", "noop", TaskStatus.PENDING, T.minusMillis(1)))).as("older").isTrue();
            assertThat(q.admits(task("a", "noop", TaskStatus.PENDING, T.plusMillis(1)))).as("newer").isFalse();
        }
    }
}
