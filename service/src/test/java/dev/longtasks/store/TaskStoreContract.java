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
 * only says how to build its store on a given clock with a one-hour TTL and a given open horizon.
 * Most rules are checked with no open horizon, where every write sets the TTL to {@link #TTL}
 * from now; {@link OpenTaskTtl} checks the horizon itself.
 */
public abstract class TaskStoreContract {
    protected static final Duration TTL = Duration.ofHours(1);
    protected static final long LEASE_MS = 30_000;
    protected static final Duration HORIZON = Duration.ofMinutes(90);

    protected MutableClock clock;
    protected TaskStore store;

    /**
     * A fresh, empty store on {@code clock}: records of ended tasks live {@link #TTL} after their
     * last write, those of open tasks {@code openHorizon} longer.
     */
    protected abstract TaskStore newStore(Clock clock, Duration openHorizon);

    @BeforeEach
    void openStore() {
        clock = new MutableClock(Instant.ofEpochMilli(System.currentTimeMillis()));
        store = newStore(clock, Duration.ZERO);
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
            store.releaseIdempotencyKey(key, "task-1");
            IdempotencyRecord second = new IdempotencyRecord(key, "fp2", "task-2");
            assertThat(store.bindIdempotencyKey(second)).isEmpty();
            assertThat(store.bindIdempotencyKey(new IdempotencyRecord(key, "fp3", "task-3"))).contains(second);
        }
    }

    protected Task createdDue(Duration in) {
        Task t = pending().withDueAt(clock.instant().plus(in).toEpochMilli());
        store.create(t);
        return t;
    }

    private List<String> dueNow() {
        return store.dueTasks(clock.instant(), 1000);
    }

    @Nested
    class OpenIndex {
        @Test
        void a_task_is_due_from_its_due_time_on_and_not_before() {
            Task t = createdDue(Duration.ofSeconds(60));
            assertThat(store.get(t.taskId())).contains(t);
            assertThat(dueNow()).doesNotContain(t.taskId());
            clock.advance(Duration.ofSeconds(60));
            assertThat(dueNow()).contains(t.taskId());
        }

        @Test
        void a_task_without_a_due_time_is_not_in_the_index() {
            Task t = created();
            clock.advance(Duration.ofMinutes(30));
            assertThat(dueNow()).doesNotContain(t.taskId());
        }

        @Test
        void the_claim_makes_it_due_when_the_lease_ends_and_heartbeats_do_not_move_it() {
            Task t = createdDue(Duration.ofSeconds(60));
            Task c = store.claim(t.taskId(), LEASE_MS).orElseThrow();
            assertThat(c.dueAt()).isEqualTo(c.leaseUntil());
            clock.advance(Duration.ofSeconds(20));
            Task h = store.progress(t.taskId(), 1, new Progress(10, null), LEASE_MS).orElseThrow();
            assertThat(h.leaseUntil()).isGreaterThan(c.leaseUntil());
            assertThat(h.dueAt()).isEqualTo(c.dueAt());
            assertThat(dueNow()).doesNotContain(t.taskId());
            clock.advance(Duration.ofSeconds(10));
            assertThat(dueNow()).contains(t.taskId());
        }

        @Test
        void an_ended_task_is_due_at_once_until_its_completion_is_recorded_as_sent() {
            Task c = running();
            clock.advance(Duration.ofSeconds(2));
            Task done = store.finish(c.taskId(), 1, TaskStatus.SUCCEEDED, "1", null).orElseThrow();
            assertThat(done.completionSent()).isFalse();
            assertThat(done.dueAt()).isEqualTo(clock.millis());
            assertThat(store.get(c.taskId())).contains(done);
            assertThat(dueNow()).contains(c.taskId());

            clock.advance(Duration.ofSeconds(1));
            assertThat(store.markCompletionSent(c.taskId())).isTrue();
            Task sent = store.get(c.taskId()).orElseThrow();
            assertThat(sent.completionSent()).isTrue();
            assertThat(sent.dueAt()).isZero();
            assertThat(sent.updatedAt()).as("bookkeeping, not a change of the task").isEqualTo(done.updatedAt());
            assertThat(sent.ttl()).isEqualTo(done.ttl());
            assertThat(dueNow()).doesNotContain(c.taskId());
            assertThat(store.markCompletionSent(c.taskId())).as("nothing left to record").isFalse();
        }

        @Test
        void fail_pending_and_fail_stale_owe_a_completion_too_and_an_open_task_owes_none() {
            Task p = createdDue(Duration.ofSeconds(60));
            assertThat(store.markCompletionSent(p.taskId())).isFalse();
            Task failed = store.failPending(p.taskId(), new TaskError(TaskError.QUEUE_TIMEOUT, "late")).orElseThrow();
            assertThat(failed.completionSent()).isFalse();
            Task r = running();
            clock.advance(Duration.ofMillis(LEASE_MS + 1));
            Task stale = store.failStale(r.taskId(), 1, new TaskError(TaskError.MAX_ATTEMPTS_EXCEEDED, "x")).orElseThrow();
            assertThat(stale.completionSent()).isFalse();
            assertThat(dueNow()).contains(p.taskId(), r.taskId());
        }

        @Test
        void a_pending_task_its_client_cancelled_owes_no_completion_and_leaves_the_index() {
            Task t = createdDue(Duration.ZERO);
            assertThat(dueNow()).contains(t.taskId());
            Task cancelled = ((CancelResult.Cancelled) store.cancel(t.taskId())).task();
            assertThat(cancelled.completionSent()).isTrue();
            assertThat(store.get(t.taskId())).contains(cancelled);
            assertThat(dueNow()).doesNotContain(t.taskId());
        }

        @Test
        void due_tasks_come_earliest_first_and_at_most_the_limit() {
            Task late = createdDue(Duration.ofSeconds(30));
            Task early = createdDue(Duration.ofSeconds(10));
            Task middle = createdDue(Duration.ofSeconds(20));
            createdDue(Duration.ofMinutes(10));
            clock.advance(Duration.ofSeconds(30));
            assertThat(store.dueTasks(clock.instant(), 1000)).containsExactly(early.taskId(), middle.taskId(), late.taskId());
            assertThat(store.dueTasks(clock.instant(), 2)).containsExactly(early.taskId(), middle.taskId());
        }

        @Test
        void reschedule_moves_the_due_time_and_counts_dispatches_only_while_the_task_is_as_seen() {
            Task t = createdDue(Duration.ZERO);
            long later = clock.instant().plusSeconds(120).toEpochMilli();
            assertThat(store.reschedule(t, later, true)).isTrue();
            Task moved = store.get(t.taskId()).orElseThrow();
            assertThat(moved.dueAt()).isEqualTo(later);
            assertThat(moved.dispatches()).isEqualTo(1);
            assertThat(moved.updatedAt()).isEqualTo(t.updatedAt());
            assertThat(dueNow()).doesNotContain(t.taskId());
            assertThat(store.reschedule(moved, later + 1, false)).isTrue();
            assertThat(store.get(t.taskId()).orElseThrow().dispatches()).isEqualTo(1);

            Task claimed = store.claim(t.taskId(), LEASE_MS).orElseThrow();
            assertThat(store.reschedule(moved, later, true)).as("no longer PENDING").isFalse();
            assertThat(store.get(t.taskId())).contains(claimed);
            store.finish(t.taskId(), 1, TaskStatus.SUCCEEDED, "1", null).orElseThrow();
            store.markCompletionSent(t.taskId());
            Task sent = store.get(t.taskId()).orElseThrow();
            assertThat(store.reschedule(sent, later, false)).as("not in the index").isFalse();
            assertThat(store.get(t.taskId())).contains(sent);
        }

        @Test
        void fail_stale_needs_the_attempt_and_a_passed_lease() {
            Task c = running();
            assertThat(store.failStale(c.taskId(), 1, new TaskError("X", "y"))).as("lease still live").isEmpty();
            clock.advance(Duration.ofMillis(LEASE_MS + 1));
            assertThat(store.failStale(c.taskId(), 2, new TaskError("X", "y"))).as("another attempt").isEmpty();
            assertThat(store.get(c.taskId())).contains(c);
            Task failed = store.failStale(c.taskId(), 1, new TaskError(TaskError.MAX_ATTEMPTS_EXCEEDED, "dead")).orElseThrow();
            assertThat(failed.status()).isEqualTo(TaskStatus.FAILED);
            assertThat(failed.error()).isEqualTo(new TaskError(TaskError.MAX_ATTEMPTS_EXCEEDED, "dead"));
            assertThat(store.get(c.taskId())).contains(failed);
        }

        @Test
        void an_id_whose_record_expired_can_be_dropped_from_the_index() {
            Task t = createdDue(Duration.ZERO);
            clock.advance(TTL.plusSeconds(2));
            store.dropFromIndex(t.taskId());
            assertThat(store.get(t.taskId())).isEmpty();
            assertThat(dueNow()).doesNotContain(t.taskId());
        }
    }

    @Nested
    class OpenTaskTtl {
        @BeforeEach
        void withAHorizon() {
            store.close();
            store = newStore(clock, HORIZON);
        }

        @Test
        void an_open_task_outlives_the_ttl_by_the_horizon_and_an_ended_one_lives_the_ttl_from_its_last_write() {
            Task t = createdDue(Duration.ofSeconds(60));
            Task c = store.claim(t.taskId(), LEASE_MS).orElseThrow();
            assertThat(c.ttl()).isEqualTo(clock.instant().getEpochSecond() + TTL.plus(HORIZON).toSeconds());
            clock.advance(TTL.plus(HORIZON).minusMinutes(1));
            Task p = store.progress(t.taskId(), 1, new Progress(50, null), LEASE_MS).orElseThrow();
            assertThat(p.ttl()).isEqualTo(clock.instant().getEpochSecond() + TTL.plus(HORIZON).toSeconds());
            clock.advance(Duration.ofSeconds(5));
            Task done = store.finish(t.taskId(), 1, TaskStatus.SUCCEEDED, "1", null).orElseThrow();
            assertThat(done.ttl()).isEqualTo(clock.instant().getEpochSecond() + TTL.toSeconds());
            clock.advance(TTL);
            assertThat(store.get(t.taskId())).isPresent();
            clock.advance(Duration.ofSeconds(1));
            assertThat(store.get(t.taskId())).isEmpty();
        }

        @Test
        void a_cancel_request_keeps_the_horizon_and_a_cancel_of_a_pending_task_ends_it() {
            Task c = running();
            Task requested = ((CancelResult.Requested) store.cancel(c.taskId())).task();
            assertThat(requested.ttl()).isEqualTo(clock.instant().getEpochSecond() + TTL.plus(HORIZON).toSeconds());
            Task p = created();
            Task cancelled = ((CancelResult.Cancelled) store.cancel(p.taskId())).task();
            assertThat(cancelled.ttl()).isEqualTo(clock.instant().getEpochSecond() + TTL.toSeconds());
        }
    }

    @Nested
    class LeaderLease {
        @Test
        void one_holder_at_a_time_renewing_and_another_takes_over_once_it_lapsed() {
            String name = "lead-" + UUID.randomUUID();
            assertThat(store.tryLead(name, "a", Duration.ofSeconds(30))).isTrue();
            assertThat(store.tryLead(name, "b", Duration.ofSeconds(30))).isFalse();
            clock.advance(Duration.ofSeconds(20));
            assertThat(store.tryLead(name, "a", Duration.ofSeconds(30))).as("the holder renews").isTrue();
            clock.advance(Duration.ofSeconds(20));
            assertThat(store.tryLead(name, "b", Duration.ofSeconds(30))).as("renewed 20 s ago for 30 s").isFalse();
            clock.advance(Duration.ofSeconds(11));
            assertThat(store.tryLead(name, "b", Duration.ofSeconds(30))).isTrue();
            assertThat(store.tryLead(name, "a", Duration.ofSeconds(30))).isFalse();
        }
    }

    @Nested
    class IdempotencyBindings {
        @Test
        void a_binding_reads_back_with_the_time_it_was_made() {
            String key = "key-" + UUID.randomUUID();
            IdempotencyRecord bound = new IdempotencyRecord(key, "fp", "task-1", clock.millis());
            assertThat(store.bindIdempotencyKey(bound)).isEmpty();
            assertThat(store.bindIdempotencyKey(new IdempotencyRecord(key, "fp", "task-2", clock.millis()))).contains(bound);
        }

        @Test
        void a_binding_is_taken_over_only_from_the_task_it_names() {
            String key = "key-" + UUID.randomUUID();
            store.bindIdempotencyKey(new IdempotencyRecord(key, "fp", "task-1", 1));
            IdempotencyRecord next = new IdempotencyRecord(key, "fp", "task-2", 2);
            assertThat(store.replaceIdempotencyBinding("task-9", next)).isFalse();
            assertThat(store.replaceIdempotencyBinding("task-1", next)).isTrue();
            assertThat(store.replaceIdempotencyBinding("task-1", new IdempotencyRecord(key, "fp", "task-3", 3)))
                    .as("a lost compare-and-set").isFalse();
            assertThat(store.bindIdempotencyKey(new IdempotencyRecord(key, "fp", "task-4", 4))).contains(next);
            assertThat(store.replaceIdempotencyBinding("task-1", new IdempotencyRecord("key-" + UUID.randomUUID(), "fp", "t", 5)))
                    .as("no binding at all").isFalse();
        }

        @Test
        void a_release_removes_only_a_binding_that_still_names_the_task() {
            String key = "key-" + UUID.randomUUID();
            IdempotencyRecord bound = new IdempotencyRecord(key, "fp", "task-1", 1);
            store.bindIdempotencyKey(bound);
            store.releaseIdempotencyKey(key, "task-2");
            assertThat(store.bindIdempotencyKey(new IdempotencyRecord(key, "fp", "task-3", 3))).contains(bound);
            store.releaseIdempotencyKey(key, "task-1");
            assertThat(store.bindIdempotencyKey(new IdempotencyRecord(key, "fp", "task-3", 3))).isEmpty();
        }
    }
}
