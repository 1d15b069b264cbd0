package dev.longtasks.task;

import java.time.Instant;
import java.util.Objects;

/**
 * One task record, the same in every store (DESIGN §3). {@code input} and {@code result} are
 * JSON text; {@code ttl} is in epoch seconds, {@code leaseUntil} in epoch milliseconds.
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
        long ttl) {

    public Task {
        Objects.requireNonNull(taskId, "taskId");
        Objects.requireNonNull(taskType, "taskType");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(updatedAt, "updatedAt");
    }

    /** A new PENDING task; its TTL counts from {@code now}. */
    public static Task pending(String taskId, String taskType, String input, Instant now, long ttlSeconds) {
        return new Task(taskId, taskType, TaskStatus.PENDING, input, null, null, null, 0, 0L, false,
                now, now, null, null, now.getEpochSecond() + ttlSeconds);
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

    public Task claimed(Instant now, long leaseMillis, long ttlSeconds) {
        return new Task(taskId, taskType, TaskStatus.RUNNING, input, null, null, progress, attempt + 1,
                now.toEpochMilli() + leaseMillis, cancelRequested, createdAt, now,
                startedAt == null ? now : startedAt, null, now.getEpochSecond() + ttlSeconds);
    }

    public Task withProgress(Progress p, Instant now, long leaseMillis, long ttlSeconds) {
        return new Task(taskId, taskType, status, input, result, error, p, attempt,
                leaseMillis > 0 ? now.toEpochMilli() + leaseMillis : leaseUntil, cancelRequested,
                createdAt, now, startedAt, finishedAt, now.getEpochSecond() + ttlSeconds);
    }

    public Task finished(TaskStatus terminal, String resultJson, TaskError err, Instant now, long ttlSeconds) {
        if (!terminal.isTerminal()) {
            throw new IllegalArgumentException("not a terminal status: " + terminal);
        }
        Progress p = terminal == TaskStatus.SUCCEEDED
                ? new Progress(100, progress == null ? "done" : progress.message())
                : progress;
        return new Task(taskId, taskType, terminal, input, resultJson, err, p, attempt, 0L, cancelRequested,
                createdAt, now, startedAt, now, now.getEpochSecond() + ttlSeconds);
    }

    public Task withCancelRequested(Instant now, long ttlSeconds) {
        return new Task(taskId, taskType, status, input, result, error, progress, attempt, leaseUntil, true,
                createdAt, now, startedAt, finishedAt, now.getEpochSecond() + ttlSeconds);
    }
}
