package dev.longtasks.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.longtasks.task.Task;
import dev.longtasks.task.TaskQuery;
import dev.longtasks.task.TaskStatus;
import dev.longtasks.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The memory store keeps its listing index as small as its map: eviction and sweeps drop positions too. */
class MemoryTaskIndexTest {
    private final MutableClock clock = MutableClock.startingNow();

    private Task pending() {
        return Task.pending(UUID.randomUUID().toString(), "example", "{}", clock.instant(), 3600);
    }

    @Nested
    class The_index {
        @Test
        void drops_the_positions_of_evicted_finished_tasks() {
            MemoryTaskStore store = MemoryTaskStore.builder().clock(clock).maxTasks(10).build();
            List<Task> first = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                Task t = pending();
                store.create(t);
                first.add(t);
                clock.advance(Duration.ofMillis(1));
            }
            for (Task t : first.subList(0, 6)) {
                store.cancel(t.taskId());
            }

            for (int i = 0; i < 6; i++) {
                store.create(pending());
            }

            assertThat(store.size()).isEqualTo(10);
            assertThat(store.indexSize()).isEqualTo(10);
            assertThat(store.list(TaskQuery.since(Instant.EPOCH).withLimit(100)).tasks())
                    .hasSize(10).noneMatch(t -> t.status() == TaskStatus.CANCELLED);
        }

        @Test
        void drops_the_positions_of_expired_tasks_when_the_store_sweeps() {
            MemoryTaskStore store = MemoryTaskStore.builder().clock(clock).ttl(Duration.ofMinutes(1)).build();
            for (int i = 0; i < 50; i++) {
                store.create(Task.pending(UUID.randomUUID().toString(), "example", "{}", clock.instant(), 60));
            }
            clock.advance(Duration.ofMinutes(2));
            Task live = Task.pending(UUID.randomUUID().toString(), "example", "{}", clock.instant(), 60);
            store.create(live);

            store.sweepExpired();

            assertThat(store.indexSize()).isEqualTo(1);
            assertThat(store.list(TaskQuery.since(Instant.EPOCH)).tasks()).containsExactly(live);
        }
    }
}
