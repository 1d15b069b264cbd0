package dev.longtasks.task;

import java.time.Instant;
import java.util.Objects;

/**
 * One task record, the same in every store (DESIGN §3). {@code input} and {@code result} are
 * JSON text; {@code ttl} is in epoch seconds, {@code leaseUntil} and {@code dueAt} in epoch
 * milliseconds.
 *
 * <p>The last three fields drive the reconciler. {@code dueAt} is when it should look at the task
 * next (0: the task is not in the open-task index); {@code dispatches} counts the times it
 * published {@code task.submitted} again; {@code completionSent} says that the end's event
 * ({@code task.succeeded}/{@code task.failed}) was published. A task is <em>open</em>, and in the
 * index, while it is PENDING or RUNNING and while it has ended but its event is not yet sent.
 */
public record Task(
        String taskId,
        String taskType,
        TaskStatus status,
        String input,
        String result,
        TaskError error,
        Progress progress,
        int attempt,
        long leaseUntil,
        boolean cancelRequested,
        Instant createdAt,
        Instant updatedAt,
        Instant startedAt,
        Instant finishedAt,
        long ttl,
        long dueAt,
        int dispatches,
        boolean completionSent) {

    public Task {
        Objects.requireNonNull(taskId, "taskId");
        Objects.requireNonNull(taskType, "taskType");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(updatedAt, "updatedAt");
    }

    /**
     * A record as written before the lifecycle fields existed: not in the index, never
     * re-dispatched, and an ended one has nothing left to send.
     */
    public Task(String taskId, String taskType, TaskStatus status, String input, String result, TaskError error,
                Progress progress, int attempt, long leaseUntil, boolean cancelRequested, Instant createdAt,
                Instant updatedAt, Instant startedAt, Instant finishedAt, long ttl) {
        this(taskId, taskType, status, input, result, error, progress, attempt, leaseUntil, cancelRequested,
                createdAt, updatedAt, startedAt, finishedAt, ttl, 0L, 0, status.isTerminal());
    }

    /** A new PENDING task whose record expires {@code ttlSeconds} after {@code now}; not yet due anywhere. */
    public static Task pending(String taskId, String taskType, String input, Instant now, long ttlSeconds) {
        return new Task(taskId, taskType, TaskStatus.PENDING, input, null, null, null, 0, 0L, false,
                now, now, null, null, now.getEpochSecond() + ttlSeconds, 0L, 0, false);
    }

    /** DynamoDB deletes expired items lazily, up to days late, so every read checks the TTL itself. */
    public boolean isExpired(Instant now) {
        return ttl > 0 && ttl < now.getEpochSecond();
    }

    /** A RUNNING task whose lease has passed may be claimed again by another worker. */
    public boolean isClaimable(Instant now) {
        return status == TaskStatus.PENDING
                || (status == TaskStatus.RUNNING && leaseUntil < now.toEpochMilli());
    }

    /** Still the reconciler's business: not ended, or ended with its event not yet published. */
    public boolean isOpen() {
        return !status.isTerminal() || !completionSent;
    }

    /** In the open-task index: open and with a due time. */
    public boolean isIndexed() {
        return isOpen() && dueAt > 0;
    }

    public Task withDueAt(long due) {
        return new Task(taskId, taskType, status, input, result, error, progress, attempt, leaseUntil, cancelRequested,
                createdAt, updatedAt, startedAt, finishedAt, ttl, due, dispatches, completionSent);
    }

    /** The claim: RUNNING under a new attempt, due when the lease ends (heartbeats do not move it). */
    public Task claimed(Instant now, long leaseMillis, long ttlSeconds) {
        long lease = now.toEpochMilli() + leaseMillis;
        return new Task(taskId, taskType, TaskStatus.RUNNING, input, null, null, progress, attempt + 1,
                lease, cancelRequested, createdAt, now, startedAt == null ? now : startedAt, null,
                now.getEpochSecond() + ttlSeconds, lease, dispatches, false);
    }

    public Task withProgress(Progress p, Instant now, long leaseMillis, long ttlSeconds) {
        return new Task(taskId, taskType, status, input, result, error, p, attempt,
                leaseMillis > 0 ? now.toEpochMilli() + leaseMillis : leaseUntil, cancelRequested,
                createdAt, now, startedAt, finishedAt, now.getEpochSecond() + ttlSeconds, dueAt, dispatches, completionSent);
    }

    /** The end: its event is not yet sent, so it stays in the index, due at once. */
    public Task finished(TaskStatus terminal, String resultJson, TaskError err, Instant now, long ttlSeconds) {
        if (!terminal.isTerminal()) {
            throw new IllegalArgumentException("not a terminal status: " + terminal);
        }
        Progress p = terminal == TaskStatus.SUCCEEDED
                ? new Progress(100, progress == null ? "done" : progress.message())
                : progress;
        return new Task(taskId, taskType, terminal, input, resultJson, err, p, attempt, 0L, cancelRequested,
                createdAt, now, startedAt, now, now.getEpochSecond() + ttlSeconds, now.toEpochMilli(), dispatches, false);
    }

    public Task withCancelRequested(Instant now, long ttlSeconds) {
        return new Task(taskId, taskType, status, input, result, error, progress, attempt, leaseUntil, true,
                createdAt, now, startedAt, finishedAt, now.getEpochSecond() + ttlSeconds, dueAt, dispatches, completionSent);
    }

    /** The end's event is published (or nobody needs it): the task leaves the index. */
    public Task completionRecorded() {
        return new Task(taskId, taskType, status, input, result, error, progress, attempt, leaseUntil, cancelRequested,
                createdAt, updatedAt, startedAt, finishedAt, ttl, 0L, dispatches, true);
    }

    /** The reconciler's next look; {@code dispatched} counts one more publish of {@code task.submitted}. */
    public Task rescheduled(long due, boolean dispatched) {
        return new Task(taskId, taskType, status, input, result, error, progress, attempt, leaseUntil, cancelRequested,
                createdAt, updatedAt, startedAt, finishedAt, ttl, due, dispatched ? dispatches + 1 : dispatches,
                completionSent);
    }
}
