package dev.longtasks.task;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves on the tasks nobody else will: it reads the open-task index (never a scan), reads each
 * due task consistently, and takes one conditional action:
 * <ul>
 *   <li>PENDING past the maximum queue wait: FAILED {@code QueueTimeout};</li>
 *   <li>PENDING past its grace (its event may be lost): publish {@code task.submitted} again and
 *       look again after grace x 2^(times published again), so a long backlog is not flooded;</li>
 *   <li>RUNNING whose lease is live, or passed less than the grace ago: look again a grace after
 *       the lease ends (heartbeats renew the lease but do not move the due time);</li>
 *   <li>RUNNING whose lease passed a grace ago (its worker died), attempts left: publish again,
 *       another worker claims it (claims are fenced, so a duplicate is harmless); attempts used
 *       up: FAILED {@code MaxAttemptsExceeded};</li>
 *   <li>ended with its completion event owed: publish it and record it as sent;</li>
 *   <li>gone (expired): drop it from the index.</li>
 * </ul>
 * Uses only the ports, so it runs the same in-process, in self-hosted workers and as a Lambda.
 */
public final class Reconciler {
    private static final Logger log = LoggerFactory.getLogger(Reconciler.class);
    /** The re-publish back-off stops doubling here (grace x 2^10). */
    private static final int MAX_DOUBLINGS = 10;
    /** The reconciler's actions as metrics name them, in the order {@link #record} reads a pass. */
    public static final List<String> ACTIONS = List.of("republished", "queue_timed_out", "taken_over",
            "attempts_exhausted", "completions_sent", "dropped", "failed");

    private final TaskStore store;
    private final EventPublisher publisher;
    private final Completions completions;
    private final ReconcilerSettings settings;
    private final int maxAttempts;
    private final Clock clock;
    private final String stage;
    private final TaskMetrics metrics;

    public Reconciler(TaskStore store, EventPublisher publisher, ReconcilerSettings settings, int maxAttempts,
                      Clock clock, String stage) {
        this(store, publisher, settings, maxAttempts, clock, stage, TaskMetrics.NONE);
    }

    /** @param metrics told of each pass's actions, and of the tasks it fails */
    public Reconciler(TaskStore store, EventPublisher publisher, ReconcilerSettings settings, int maxAttempts,
                      Clock clock, String stage, TaskMetrics metrics) {
        this.store = store;
        this.publisher = publisher;
        this.completions = new Completions(store, publisher);
        this.settings = settings;
        this.maxAttempts = maxAttempts;
        this.clock = clock;
        this.stage = stage;
        this.metrics = TaskMetrics.safe(metrics);
    }

    public ReconcilerSettings settings() {
        return settings;
    }

    /**
     * What one pass did, per action; {@code failed} counts tasks whose action threw (they stay
     * due and are tried again next pass).
     */
    public record Pass(int due, int republished, int queueTimedOut, int leaseWatched, int takenOver,
                       int attemptsExhausted, int completionsSent, int dropped, int failed) {
        public int acted() {
            return republished + queueTimedOut + takenOver + attemptsExhausted + completionsSent + dropped;
        }
    }

    /** Counters of one pass. */
    private static final class Tally {
        int republished;
        int queueTimedOut;
        int leaseWatched;
        int takenOver;
        int attemptsExhausted;
        int completionsSent;
        int dropped;
        int failed;
    }

    /** One pass over the tasks due now, at most {@link ReconcilerSettings#batch()}. */
    public Pass runOnce() {
        Instant now = clock.instant();
        List<String> due = store.dueTasks(now, settings.batch());
        Tally tally = new Tally();
        for (String id : due) {
            try {
                act(id, now, tally);
            } catch (RuntimeException e) {
                tally.failed++;
                log.warn("reconciler: task {} stays due: {}", id, e.toString());
            }
        }
        Pass pass = new Pass(due.size(), tally.republished, tally.queueTimedOut, tally.leaseWatched, tally.takenOver,
                tally.attemptsExhausted, tally.completionsSent, tally.dropped, tally.failed);
        if (pass.acted() > 0 || pass.failed() > 0) {
            log.info("reconciler: {}", pass);
        }
        record(pass);
        return pass;
    }

    /** Per action, with the wire names the reconciler function answers with; actions of zero are left out. */
    private void record(Pass p) {
        int[] counts = {p.republished(), p.queueTimedOut(), p.takenOver(), p.attemptsExhausted(), p.completionsSent(),
                p.dropped(), p.failed()};
        for (int i = 0; i < counts.length; i++) {
            if (counts[i] > 0) {
                metrics.reconciled(ACTIONS.get(i), counts[i]);
            }
        }
    }

    private void act(String id, Instant now, Tally tally) {
        Optional<Task> read = store.get(id);
        if (read.isEmpty()) {
            store.dropFromIndex(id);
            tally.dropped++;
            return;
        }
        Task t = read.get();
        if (!t.isIndexed() || t.dueAt() > now.toEpochMilli()) {
            return; // moved on since the index was read (the DynamoDB index lags its table)
        }
        switch (t.status()) {
            case PENDING -> pending(t, now, tally);
            case RUNNING -> running(t, now, tally);
            default -> ended(t, now, tally);
        }
    }

    private void pending(Task t, Instant now, Tally tally) {
        Instant giveUp = t.createdAt().plus(settings.maxQueueWait());
        if (!now.isBefore(giveUp)) {
            store.failPending(t.taskId(), new TaskError(TaskError.QUEUE_TIMEOUT, "no worker took the task within "
                    + settings.maxQueueWait().toSeconds() + " s (TASKS_MAX_QUEUE_WAIT_SECONDS); submit it again"))
                    .ifPresent(failed -> {
                        tally.queueTimedOut++;
                        metrics.ended(failed.taskType(), TaskStatus.FAILED, TaskError.QUEUE_TIMEOUT, null);
                        completions.send(failed);
                    });
            return;
        }
        publisher.publish(TaskEvent.submitted(t.taskId(), t.taskType(), stage));
        Duration backOff = settings.dispatchGrace().multipliedBy(1L << Math.min(t.dispatches(), MAX_DOUBLINGS));
        Instant next = now.plus(backOff);
        store.reschedule(t, (next.isBefore(giveUp) ? next : giveUp).toEpochMilli(), true);
        tally.republished++;
    }

    private void running(Task t, Instant now, Tally tally) {
        // A lease is dead only a grace after it passed: a holder whose heartbeats stalled for a
        // moment (a store hiccup, a long GC) renews it and is not taken over.
        long deadFrom = t.leaseUntil() + settings.dispatchGrace().toMillis();
        if (deadFrom > now.toEpochMilli()) {
            store.reschedule(t, deadFrom, false);
            tally.leaseWatched++;
            return;
        }
        if (t.attempt() >= maxAttempts) {
            store.failStale(t.taskId(), t.attempt(), new TaskError(TaskError.MAX_ATTEMPTS_EXCEEDED,
                    "the task was claimed " + t.attempt() + " times and the last attempt stopped renewing its lease; "
                            + "the limit is " + maxAttempts + " (a worker probably crashed or timed out on each attempt)"))
                    .ifPresent(failed -> {
                        tally.attemptsExhausted++;
                        metrics.ended(failed.taskType(), TaskStatus.FAILED, TaskError.MAX_ATTEMPTS_EXCEEDED, null);
                        completions.send(failed);
                    });
            return;
        }
        publisher.publish(TaskEvent.submitted(t.taskId(), t.taskType(), stage));
        store.reschedule(t, now.plus(settings.dispatchGrace()).toEpochMilli(), true);
        tally.takenOver++;
    }

    private void ended(Task t, Instant now, Tally tally) {
        if (t.completionSent()) {
            return;
        }
        Instant owedSince = t.updatedAt().plus(settings.dispatchGrace());
        if (now.isBefore(owedSince)) {
            // It has just ended; its runner is most likely sending the event right now.
            store.reschedule(t, owedSince.toEpochMilli(), false);
            return;
        }
        if (completions.send(t)) {
            tally.completionsSent++;
        }
    }
}
