package dev.longtasks.task;

import static org.assertj.core.api.Assertions.assertThat;

import dev.longtasks.store.MemoryTaskStore;
import dev.longtasks.testing.MutableClock;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** Each action of one reconciler pass, on the memory store with time moved by hand. */
class ReconcilerTest {
    static final Duration GRACE = Duration.ofSeconds(60);
    static final Duration QUEUE_WAIT = Duration.ofMinutes(30);
    static final long LEASE_MS = 30_000;

    final MutableClock clock = MutableClock.startingNow();
    final MemoryTaskStore store = MemoryTaskStore.builder().clock(clock).build();
    final List<TaskEvent> published = new CopyOnWriteArrayList<>();
    final AtomicBoolean busDown = new AtomicBoolean();
    final Reconciler reconciler = new Reconciler(store, event -> {
        if (busDown.get()) {
            throw new EventPublishException("broker unreachable (injected)");
        }
        published.add(event);
    }, new ReconcilerSettings(GRACE, QUEUE_WAIT, Duration.ofSeconds(60), 500), 3, clock, "test");

    Task pendingDueIn(Duration d) {
        Task t = Task.pending(UUID.randomUUID().toString(), "noop", "{}", clock.instant(), 7200)
                .withDueAt(clock.instant().plus(d).toEpochMilli());
        store.create(t);
        return t;
    }

    Task task(String id) {
        return store.get(id).orElseThrow();
    }

    @Nested
    class Pending_tasks {
        @Test
        void nothing_happens_before_the_grace() {
            pendingDueIn(GRACE);
            clock.advance(GRACE.minusSeconds(1));
            assertThat(reconciler.runOnce()).isEqualTo(new Reconciler.Pass(0, 0, 0, 0, 0, 0, 0, 0, 0));
            assertThat(published).isEmpty();
        }

        @Test
        void past_the_grace_the_event_is_published_again_with_a_back_off_that_doubles() {
            Task t = pendingDueIn(GRACE);
            clock.advance(GRACE);
            assertThat(reconciler.runOnce().republished()).isEqualTo(1);
            assertThat(published).containsExactly(TaskEvent.submitted(t.taskId(), "noop", "test"));
            assertThat(task(t.taskId()).dispatches()).isEqualTo(1);
            assertThat(task(t.taskId()).dueAt()).isEqualTo(clock.instant().plus(GRACE).toEpochMilli());

            clock.advance(GRACE);
            assertThat(reconciler.runOnce().republished()).isEqualTo(1);
            assertThat(task(t.taskId()).dueAt()).as("grace x 2").isEqualTo(clock.instant().plus(GRACE.multipliedBy(2)).toEpochMilli());
            clock.advance(GRACE);
            assertThat(reconciler.runOnce().due()).as("not due again before the back-off").isZero();
            assertThat(published).hasSize(2);
        }

        @Test
        void the_back_off_never_passes_the_maximum_queue_wait_where_the_task_ends_queue_timeout() {
            Task t = pendingDueIn(GRACE);
            for (int i = 0; i < 10 && task(t.taskId()).status() == TaskStatus.PENDING; i++) {
                clock.advance(Duration.ofMillis(Math.max(0, task(t.taskId()).dueAt() - clock.millis())));
                reconciler.runOnce();
            }
            Task end = task(t.taskId());
            assertThat(end.status()).isEqualTo(TaskStatus.FAILED);
            assertThat(end.error().type()).isEqualTo(TaskError.QUEUE_TIMEOUT);
            assertThat(end.finishedAt()).isEqualTo(t.createdAt().plus(QUEUE_WAIT));
            assertThat(published).extracting(TaskEvent::event).last().isEqualTo(TaskEvent.FAILED);
            assertThat(end.completionSent()).isTrue();
            assertThat(end.isIndexed()).isFalse();
        }

        @Test
        void a_failed_publish_leaves_the_task_due_for_the_next_pass() {
            Task t = pendingDueIn(Duration.ZERO);
            busDown.set(true);
            assertThat(reconciler.runOnce().failed()).isEqualTo(1);
            assertThat(task(t.taskId()).dispatches()).isZero();
            busDown.set(false);
            assertThat(reconciler.runOnce().republished()).isEqualTo(1);
        }
    }

    @Nested
    class Running_tasks {
        @Test
        void a_live_lease_is_watched_not_taken_over() {
            Task t = pendingDueIn(GRACE);
            Task c = store.claim(t.taskId(), LEASE_MS).orElseThrow();
            clock.advance(Duration.ofMillis(LEASE_MS));
            store.progress(t.taskId(), 1, null, LEASE_MS).orElseThrow();
            Reconciler.Pass pass = reconciler.runOnce();
            assertThat(pass.leaseWatched()).isEqualTo(1);
            assertThat(published).isEmpty();
            assertThat(task(t.taskId()).dueAt()).isGreaterThan(c.dueAt());
        }

        @Test
        void a_lease_dead_for_a_grace_is_published_again_and_another_worker_claims_it() {
            Task t = pendingDueIn(GRACE);
            store.claim(t.taskId(), LEASE_MS).orElseThrow();
            clock.advance(Duration.ofMillis(LEASE_MS + 1));
            assertThat(reconciler.runOnce().leaseWatched()).as("only just passed: a grace more").isEqualTo(1);
            clock.advance(GRACE);
            assertThat(reconciler.runOnce().takenOver()).isEqualTo(1);
            assertThat(published).containsExactly(TaskEvent.submitted(t.taskId(), "noop", "test"));
            assertThat(store.claim(t.taskId(), LEASE_MS).orElseThrow().attempt()).isEqualTo(2);
        }

        @Test
        void when_the_last_allowed_attempt_died_it_ends_max_attempts_exceeded_and_its_completion_is_sent() {
            Task t = pendingDueIn(GRACE);
            for (int i = 0; i < 3; i++) {
                store.claim(t.taskId(), LEASE_MS).orElseThrow();
                clock.advance(Duration.ofMillis(LEASE_MS + 1));
            }
            clock.advance(GRACE);
            assertThat(reconciler.runOnce().attemptsExhausted()).isEqualTo(1);
            Task end = task(t.taskId());
            assertThat(end.status()).isEqualTo(TaskStatus.FAILED);
            assertThat(end.error().type()).isEqualTo(TaskError.MAX_ATTEMPTS_EXCEEDED);
            assertThat(end.attempt()).isEqualTo(3);
            assertThat(end.completionSent()).isTrue();
            assertThat(published).containsExactly(new TaskEvent(t.taskId(), "noop", TaskEvent.FAILED, null));
        }
    }

    @Nested
    class Ended_tasks {
        @Test
        void an_owed_completion_is_left_to_its_runner_for_a_grace_then_sent_once() {
            Task t = pendingDueIn(GRACE);
            store.claim(t.taskId(), LEASE_MS).orElseThrow();
            store.finish(t.taskId(), 1, TaskStatus.SUCCEEDED, "1", null).orElseThrow();
            assertThat(reconciler.runOnce().completionsSent()).isZero();
            assertThat(published).isEmpty();
            clock.advance(GRACE);
            assertThat(reconciler.runOnce().completionsSent()).isEqualTo(1);
            assertThat(published).containsExactly(new TaskEvent(t.taskId(), "noop", TaskEvent.SUCCEEDED, null));
            assertThat(task(t.taskId()).completionSent()).isTrue();
            clock.advance(GRACE);
            assertThat(reconciler.runOnce().due()).isZero();
        }

        @Test
        void an_expired_record_is_dropped_from_the_index() {
            Task t = Task.pending(UUID.randomUUID().toString(), "noop", "{}", clock.instant(), 60).withDueAt(clock.millis());
            store.create(t);
            clock.advance(Duration.ofSeconds(61));
            assertThat(reconciler.runOnce().dropped()).isEqualTo(1);
            assertThat(reconciler.runOnce().due()).isZero();
        }
    }
}
