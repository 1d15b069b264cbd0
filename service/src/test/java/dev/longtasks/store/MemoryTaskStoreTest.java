package dev.longtasks.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.longtasks.task.CancelResult;
import dev.longtasks.task.StoreFullException;
import dev.longtasks.task.Task;
import dev.longtasks.task.TaskAlreadyExistsException;
import dev.longtasks.task.TaskError;
import dev.longtasks.task.TaskStatus;
import dev.longtasks.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class MemoryTaskStoreTest {
    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));

    private MemoryTaskStore store(int maxTasks) {
        return MemoryTaskStore.builder().clock(clock).ttl(Duration.ofSeconds(60)).maxTasks(maxTasks).build();
    }

    private Task pending() {
        return Task.pending(UUID.randomUUID().toString(), "noop", "{}", clock.instant(), 60);
    }

    private static void finish(MemoryTaskStore s, Task t) {
        Task claimed = s.claim(t.taskId(), 1000).orElseThrow();
        s.finish(t.taskId(), claimed.attempt(), TaskStatus.SUCCEEDED, "{}", null).orElseThrow();
    }

    @Nested
    class Ttl {
        @Test
        void an_expired_task_reads_as_gone_before_any_sweep() {
            MemoryTaskStore s = store(100);
            Task t = pending();
            s.create(t);

            clock.advance(Duration.ofSeconds(61));

            assertThat(s.get(t.taskId())).isEmpty();
            assertThat(s.getAll(List.of(t.taskId()))).isEmpty();
            assertThat(s.cancel(t.taskId())).isInstanceOf(CancelResult.NotFound.class);
            assertThat(s.claim(t.taskId(), 1000)).isEmpty();
            assertThat(s.size()).isEqualTo(1);
        }

        @Test
        void every_write_refreshes_the_ttl() {
            MemoryTaskStore s = store(100);
            Task t = pending();
            s.create(t);
            clock.advance(Duration.ofSeconds(50));
            s.claim(t.taskId(), 100_000).orElseThrow();

            clock.advance(Duration.ofSeconds(50));

            assertThat(s.get(t.taskId())).isPresent();
        }

        @Test
        void a_sweep_drops_expired_records() {
            MemoryTaskStore s = store(100);
            s.create(pending());
            s.create(pending());
            clock.advance(Duration.ofSeconds(61));

            s.sweepExpired();

            assertThat(s.size()).isZero();
        }
    }

    @Nested
    class Bounds {
        @Test
        void the_oldest_finished_tasks_are_evicted_so_memory_stays_bounded() {
            MemoryTaskStore s = store(10);
            for (int i = 0; i < 100; i++) {
                Task t = pending();
                s.create(t);
                finish(s, t);
            }

            assertThat(s.size()).isLessThanOrEqualTo(10);
        }

        @Test
        void concurrent_creates_evict_finished_tasks_instead_of_refusing() throws Exception {
            MemoryTaskStore s = store(100);
            int threads = 8;
            AtomicInteger refused = new AtomicInteger();
            try (var pool = Executors.newFixedThreadPool(threads)) {
                for (int i = 0; i < threads; i++) {
                    pool.submit(() -> {
                        for (int n = 0; n < 5000; n++) {
                            Task t = pending();
                            try {
                                s.create(t);
                                finish(s, t);
                            } catch (StoreFullException e) {
                                refused.incrementAndGet();
                            }
                        }
                    });
                }
            }

            assertThat(refused.get()).isZero();
            assertThat(s.size()).isLessThanOrEqualTo(100 + threads);
        }

        @Test
        void unfinished_tasks_are_never_evicted_and_a_full_store_refuses_new_ones() {
            MemoryTaskStore s = store(3);
            List<Task> live = List.of(pending(), pending(), pending());
            live.forEach(s::create);

            assertThatThrownBy(() -> s.create(pending())).isInstanceOf(StoreFullException.class);
            live.forEach(t -> assertThat(s.get(t.taskId())).isPresent());
        }

        @Test
        void a_full_store_takes_new_tasks_again_once_one_finishes() {
            MemoryTaskStore s = store(2);
            Task a = pending();
            s.create(a);
            s.create(pending());
            finish(s, a);

            Task c = pending();
            s.create(c);

            assertThat(s.get(c.taskId())).isPresent();
            assertThat(s.get(a.taskId())).isEmpty();
        }
    }

    @Nested
    class Transitions {
        @Test
        void a_terminal_task_is_final() {
            MemoryTaskStore s = store(10);
            Task t = pending();
            s.create(t);
            finish(s, t);

            assertThat(s.claim(t.taskId(), 1000)).isEmpty();
            assertThat(s.failPending(t.taskId(), new TaskError("X", "x"))).isEmpty();
            assertThat(s.cancel(t.taskId())).isInstanceOf(CancelResult.AlreadyFinished.class);
            assertThat(s.get(t.taskId()).orElseThrow().status()).isEqualTo(TaskStatus.SUCCEEDED);
        }

        @Test
        void an_id_cannot_be_created_twice() {
            MemoryTaskStore s = store(10);
            Task t = pending();
            s.create(t);

            assertThatThrownBy(() -> s.create(t)).isInstanceOf(TaskAlreadyExistsException.class);
        }
    }
}
