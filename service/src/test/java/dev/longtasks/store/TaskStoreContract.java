package dev.longtasks.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.longtasks.task.CancelResult;
import dev.longtasks.task.IdempotencyRecord;
import dev.longtasks.task.Progress;
import dev.longtasks.task.Task;
import dev.longtasks.task.TaskAlreadyExistsException;
import dev.longtasks.task.TaskError;
import dev.longtasks.task.TaskStatus;
import dev.longtasks.task.TaskStore;
import dev.longtasks.testing.MutableClock;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The rules of {@link TaskStore} and DESIGN §3, run against every implementation. A subclass
 * only says how to build its store on a given clock with a one-hour TTL.
 */
public abstract class TaskStoreContract {
    protected static final Duration TTL = Duration.ofHours(1);
    protected static final long LEASE_MS = 30_000;

    protected MutableClock clock;
    protected TaskStore store;

    /** A fresh, empty store on {@code clock} whose records live {@link #TTL} after their last write. */
    protected abstract TaskStore newStore(Clock clock);

    @BeforeEach
    void openStore() {
        clock = new MutableClock(Instant.ofEpochMilli(System.currentTimeMillis()));
        store = newStore(clock);
    }

    @AfterEach
    void closeStore() {
        store.close();
    }

    protected Task pending() {
        return Task.pending(UUID.randomUUID().toString(), "example", "{\"steps\":2}", clock.instant(), TTL.toSeconds());
    }

    protected Task created() {
        Task t = pending();
        store.create(t);
        return t;
    }

    protected Task running() {
        return store.claim(created().taskId(), LEASE_MS).orElseThrow();
    }

    @Nested
    class Create {
        @Test
        void a_created_task_reads_back_exactly_as_written() {
            Task t = created();
            assertThat(store.get(t.taskId())).contains(t);
        }

        @Test
        void a_second_create_with_the_same_id_is_refused_and_changes_nothing() {
            Task t = created();
            Task other = Task.pending(t.taskId(), "noop", "{}", clock.instant(), TTL.toSeconds());
            assertThatThrownBy(() -> store.create(other)).isInstanceOf(TaskAlreadyExistsException.class);
            assertThat(store.get(t.taskId())).contains(t);
        }

        @Test
        void an_id_whose_ttl_has_passed_may_be_created_again() {
            Task t = created();
            clock.advance(TTL.plusSeconds(2));
            Task again = Task.pending(t.taskId(), "noop", "{}", clock.instant(), TTL.toSeconds());
            store.create(again);
            assertThat(store.get(t.taskId())).contains(again);
        }

        @Test
        void createAll_stores_every_task_of_the_batch() {
            List<Task> batch = List.of(pending(), pending(), pending());
            store.createAll(batch);
            assertThat(store.getAll(batch.stream().map(Task::taskId).toList())).hasSize(3)
                    .containsEntry(batch.get(1).taskId(), batch.get(1));
        }

        @Test
        void an_input_with_unicode_and_quotes_survives_the_round_trip() {
            Task t = Task.pending(UUID.randomUUID().toString(), "example",
                    "{\"text\":\"zäöü \\\"quoted\\\" \\u0000 \uD83D\uDE80\",\"empty\":{},\"list\":[]}",
                    clock.instant(), TTL.toSeconds());
            store.create(t);
            assertThat(store.get(t.taskId()).orElseThrow().input()).isEqualTo(t.input());
        }
    }

    @Nested
    class Reads {
        @Test
        void an_unknown_id_is_empty() {
            assertThat(store.get(UUID.randomUUID().toString())).isEmpty();
        }

        @Test
        void a_task_is_live_through_its_ttl_second_and_gone_after_it() {
            Task t = created();
            clock.advance(TTL);
            assertThat(store.get(t.taskId())).isPresent();
            clock.advance(Duration.ofSeconds(1));
            assertThat(store.get(t.taskId())).isEmpty();
        }

        @Test
        void getAll_returns_only_known_live_ids() {
            Task old = created();
            clock.advance(Duration.ofMinutes(50));
            Task fresh = created();
            clock.advance(Duration.ofMinutes(15));
            Map<String, Task> found = store.getAll(List.of(old.taskId(), fresh.taskId(), UUID.randomUUID().toString()));
            assertThat(found).containsOnlyKeys(fresh.taskId());
        }

        @Test
        void every_write_refreshes_the_ttl() {
            Task t = created();
            clock.advance(Duration.ofMinutes(40));
            Task claimed = store.claim(t.taskId(), LEASE_MS).orElseThrow();
            assertThat(claimed.ttl()).isEqualTo(clock.instant().getEpochSecond() + TTL.toSeconds());
            clock.advance(Duration.ofMinutes(40));
            assertThat(store.get(t.taskId())).contains(claimed);
            store.progress(t.taskId(), 1, new Progress(10, "x"), LEASE_MS).orElseThrow();
            clock.advance(Duration.ofMinutes(40));
            assertThat(store.get(t.taskId())).isPresent();
        }

        @Test
        void writes_to_an_expired_task_are_refused() {
            Task t = running();
            clock.advance(TTL.plusSeconds(2));
            assertThat(store.progress(t.taskId(), 1, new Progress(5, null), LEASE_MS)).isEmpty();
            assertThat(store.finish(t.taskId(), 1, TaskStatus.SUCCEEDED, "1", null)).isEmpty();
            assertThat(store.claim(t.taskId(), LEASE_MS)).isEmpty();
            assertThat(store.cancel(t.taskId())).isInstanceOf(CancelResult.NotFound.class);
        }
    }

    @Nested
    class Claim {
        @Test
        void claim_moves_pending_to_running_with_attempt_1_and_a_lease() {
            Task t = created();
            clock.advance(Duration.ofSeconds(3));
            Task c = store.claim(t.taskId(), LEASE_MS).orElseThrow();
            assertThat(c.status()).isEqualTo(TaskStatus.RUNNING);
            assertThat(c.attempt()).isEqualTo(1);
            assertThat(c.leaseUntil()).isEqualTo(clock.millis() + LEASE_MS);
            assertThat(c.startedAt()).isEqualTo(clock.instant());
            assertThat(c.updatedAt()).isEqualTo(clock.instant());
            assertThat(c.createdAt()).isEqualTo(t.createdAt());
            assertThat(store.get(t.taskId())).contains(c);
        }

        @Test
        void a_duplicate_claim_under_a_live_lease_is_refused() {
            Task c = running();
            clock.advance(Duration.ofMillis(LEASE_MS - 1));
            assertThat(store.claim(c.taskId(), LEASE_MS)).isEmpty();
            assertThat(store.get(c.taskId()).orElseThrow().attempt()).isEqualTo(1);
        }

        @Test
        void after_the_lease_passes_another_claim_takes_over_with_attempt_2() {
            Task c = running();
            clock.advance(Duration.ofMillis(LEASE_MS + 1));
            Task again = store.claim(c.taskId(), LEASE_MS).orElseThrow();
            assertThat(again.attempt()).isEqualTo(2);
            assertThat(again.startedAt()).isEqualTo(c.startedAt());
            assertThat(again.leaseUntil()).isEqualTo(clock.millis() + LEASE_MS);
        }

        @Test
        void unknown_and_terminal_tasks_cannot_be_claimed() {
            assertThat(store.claim(UUID.randomUUID().toString(), LEASE_MS)).isEmpty();
            Task c = running();
            store.finish(c.taskId(), 1, TaskStatus.SUCCEEDED, "{}", null).orElseThrow();
            clock.advance(Duration.ofMillis(LEASE_MS + 1));
            assertThat(store.claim(c.taskId(), LEASE_MS)).isEmpty();
        }

        @Test
        void of_many_threads_claiming_at_once_exactly_one_wins() throws Exception {
            Task t = created();
            int threads = 16;
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            try {
                CountDownLatch start = new CountDownLatch(1);
                List<Future<Optional<Task>>> results = new ArrayList<>();
                for (int i = 0; i < threads; i++) {
                    results.add(pool.submit(() -> {
                        start.await();
                        return store.claim(t.taskId(), LEASE_MS);
                    }));
                }
                start.countDown();
                int winners = 0;
                for (Future<Optional<Task>> f : results) {
                    winners += f.get().isPresent() ? 1 : 0;
                }
                assertThat(winners).isEqualTo(1);
                assertThat(store.get(t.taskId()).orElseThrow().attempt()).isEqualTo(1);
            } finally {
                pool.shutdownNow();
            }
        }
    }

    @Nested
    class FencedWrites {
        @Test
        void progress_records_percent_and_message_and_extends_the_lease() {
            Task c = running();
            clock.advance(Duration.ofSeconds(10));
            Task p = store.progress(c.taskId(), 1, new Progress(40, "step 2 of 5"), LEASE_MS).orElseThrow();
            assertThat(p.progress()).isEqualTo(new Progress(40, "step 2 of 5"));
            assertThat(p.leaseUntil()).isEqualTo(clock.millis() + LEASE_MS);
            assertThat(store.get(c.taskId())).contains(p);
        }

        @Test
        void a_heartbeat_renews_the_lease_and_keeps_the_progress() {
            Task c = running();
            store.progress(c.taskId(), 1, new Progress(20, null), LEASE_MS).orElseThrow();
            clock.advance(Duration.ofSeconds(20));
            Task h = store.progress(c.taskId(), 1, null, LEASE_MS).orElseThrow();
            assertThat(h.progress()).isEqualTo(new Progress(20, null));
            assertThat(h.leaseUntil()).isEqualTo(clock.millis() + LEASE_MS);
        }

        @Test
        void after_a_reclaim_the_old_attempts_progress_and_finish_are_fenced_off() {
            Task c = running();
            clock.advance(Duration.ofMillis(LEASE_MS + 1));
            Task second = store.claim(c.taskId(), LEASE_MS).orElseThrow();
            assertThat(store.progress(c.taskId(), 1, new Progress(90, "late"), LEASE_MS)).isEmpty();
            assertThat(store.finish(c.taskId(), 1, TaskStatus.SUCCEEDED, "\"stale\"", null)).isEmpty();
            assertThat(store.get(c.taskId())).contains(second);
            Task done = store.finish(c.taskId(), 2, TaskStatus.SUCCEEDED, "\"fresh\"", null).orElseThrow();
            assertThat(done.result()).isEqualTo("\"fresh\"");
            assertThat(done.attempt()).isEqualTo(2);
        }

        @Test
        void a_successful_finish_records_the_result_and_100_percent() {
            Task c = running();
            store.progress(c.taskId(), 1, new Progress(50, "half"), LEASE_MS).orElseThrow();
            clock.advance(Duration.ofSeconds(1));
            Task done = store.finish(c.taskId(), 1, TaskStatus.SUCCEEDED, "{\"ok\":true}", null).orElseThrow();
            assertThat(done.status()).isEqualTo(TaskStatus.SUCCEEDED);
            assertThat(done.result()).isEqualTo("{\"ok\":true}");
            assertThat(done.progress()).isEqualTo(new Progress(100, "half"));
            assertThat(done.finishedAt()).isEqualTo(clock.instant());
            assertThat(done.error()).isNull();
            assertThat(store.get(c.taskId())).contains(done);
        }

        @Test
        void a_success_without_any_progress_reads_done() {
            Task c = running();
            Task done = store.finish(c.taskId(), 1, TaskStatus.SUCCEEDED, "null", null).orElseThrow();
            assertThat(done.progress()).isEqualTo(new Progress(100, "done"));
        }

        @Test
        void a_failed_finish_records_the_error_and_no_result() {
            Task c = running();
            Task done = store.finish(c.taskId(), 1, TaskStatus.FAILED, null, new TaskError("Boom", "it broke")).orElseThrow();
            assertThat(done.status()).isEqualTo(TaskStatus.FAILED);
            assertThat(done.error()).isEqualTo(new TaskError("Boom", "it broke"));
            assertThat(done.result()).isNull();
        }

        @Test
        void terminal_states_are_final() {
            Task c = running();
            Task done = store.finish(c.taskId(), 1, TaskStatus.SUCCEEDED, "1", null).orElseThrow();
            assertThat(store.finish(c.taskId(), 1, TaskStatus.FAILED, null, new TaskError("X", "y"))).isEmpty();
            assertThat(store.progress(c.taskId(), 1, new Progress(3, null), LEASE_MS)).isEmpty();
            assertThat(store.failPending(c.taskId(), new TaskError("X", "y"))).isEmpty();
            assertThat(store.get(c.taskId())).contains(done);
        }

        @Test
        void a_pending_task_cannot_be_finished_or_progressed() {
            Task t = created();
            assertThat(store.finish(t.taskId(), 0, TaskStatus.SUCCEEDED, "1", null)).isEmpty();
            assertThat(store.progress(t.taskId(), 0, null, LEASE_MS)).isEmpty();
            assertThat(store.get(t.taskId())).contains(t);
        }
    }

    @Nested
    class Cancel {
        @Test
        void a_pending_task_is_cancelled_at_once() {
            Task t = created();
            CancelResult r = store.cancel(t.taskId());
            assertThat(r).isInstanceOf(CancelResult.Cancelled.class);
            Task after = ((CancelResult.Cancelled) r).task();
            assertThat(after.status()).isEqualTo(TaskStatus.CANCELLED);
            assertThat(after.finishedAt()).isEqualTo(clock.instant());
            assertThat(store.get(t.taskId())).contains(after);
        }

        @Test
        void a_running_task_gets_cancel_requested_and_its_owner_may_end_it_cancelled() {
            Task c = running();
            CancelResult r = store.cancel(c.taskId());
            assertThat(r).isInstanceOf(CancelResult.Requested.class);
            Task after = ((CancelResult.Requested) r).task();
            assertThat(after.status()).isEqualTo(TaskStatus.RUNNING);
            assertThat(after.cancelRequested()).isTrue();
            assertThat(store.progress(c.taskId(), 1, null, LEASE_MS).orElseThrow().cancelRequested()).isTrue();
            assertThat(store.finish(c.taskId(), 1, TaskStatus.CANCELLED, null, null).orElseThrow().status())
                    .isEqualTo(TaskStatus.CANCELLED);
        }

        @Test
        void a_finished_task_is_left_unchanged() {
            Task c = running();
            Task done = store.finish(c.taskId(), 1, TaskStatus.SUCCEEDED, "1", null).orElseThrow();
            clock.advance(Duration.ofSeconds(5));
            assertThat(store.cancel(c.taskId())).isEqualTo(new CancelResult.AlreadyFinished(done));
            assertThat(store.get(c.taskId())).contains(done);
        }

        @Test
        void unknown_and_expired_ids_are_not_found() {
            assertThat(store.cancel(UUID.randomUUID().toString())).isEqualTo(new CancelResult.NotFound());
            Task t = created();
            clock.advance(TTL.plusSeconds(2));
            assertThat(store.cancel(t.taskId())).isEqualTo(new CancelResult.NotFound());
        }

        @Test
        void a_worker_cannot_claim_or_finish_a_task_cancelled_while_pending() {
            Task t = created();
            store.cancel(t.taskId());
            assertThat(store.claim(t.taskId(), LEASE_MS)).isEmpty();
            assertThat(store.finish(t.taskId(), 1, TaskStatus.SUCCEEDED, "1", null)).isEmpty();
            assertThat(store.get(t.taskId()).orElseThrow().status()).isEqualTo(TaskStatus.CANCELLED);
        }
    }

    @Nested
    class FailPending {
        @Test
        void a_pending_task_ends_failed_with_the_error() {
            Task t = created();
            Task failed = store.failPending(t.taskId(), new TaskError(TaskError.ENQUEUE_FAILED, "no broker")).orElseThrow();
            assertThat(failed.status()).isEqualTo(TaskStatus.FAILED);
            assertThat(failed.error()).isEqualTo(new TaskError(TaskError.ENQUEUE_FAILED, "no broker"));
            assertThat(store.get(t.taskId())).contains(failed);
        }

        @Test
        void a_running_or_unknown_task_is_left_alone() {
            Task c = running();
            assertThat(store.failPending(c.taskId(), new TaskError("X", "y"))).isEmpty();
            assertThat(store.get(c.taskId())).contains(c);
            assertThat(store.failPending(UUID.randomUUID().toString(), new TaskError("X", "y"))).isEmpty();
        }
    }

    @Nested
    class Idempotency {
        @Test
        void the_first_bind_wins_and_later_binds_see_it() {
            String key = "key-" + UUID.randomUUID();
            IdempotencyRecord first = new IdempotencyRecord(key, "fp1", "task-1");
            assertThat(store.bindIdempotencyKey(first)).isEmpty();
            assertThat(store.bindIdempotencyKey(new IdempotencyRecord(key, "fp2", "task-2"))).contains(first);
        }

        @Test
        void a_released_key_can_be_bound_again() {
            String key = "key-" + UUID.randomUUID();
            store.bindIdempotencyKey(new IdempotencyRecord(key, "fp1", "task-1"));
            store.releaseIdempotencyKey(key);
            IdempotencyRecord second = new IdempotencyRecord(key, "fp2", "task-2");
            assertThat(store.bindIdempotencyKey(second)).isEmpty();
            assertThat(store.bindIdempotencyKey(new IdempotencyRecord(key, "fp3", "task-3"))).contains(second);
        }
    }
}
