package dev.longtasks.task;

import java.time.Duration;

/**
 * Where the core reports what happens to tasks, for operators' metrics: Prometheus
 * ({@code GET /metrics}) in the local server and self-hosted processes, CloudWatch Embedded
 * Metric Format lines on Lambda. Every method has a no-op default, and {@link #NONE} records
 * nothing. The core calls an implementation only through {@link #safe}, so a metric that throws
 * is logged and never breaks a task.
 *
 * <p>Labels stay few: the task type (one of the registered handlers), the error type of a
 * failure (a {@link TaskError} constant or a handler's exception class name) and the
 * reconciler's action; never a task id.
 */
public interface TaskMetrics {
    /** Records nothing. */
    TaskMetrics NONE = new TaskMetrics() {
    };

    /** A task was stored and its first event published (an idempotent replay is not counted). */
    default void submitted(String taskType) {
    }

    /**
     * A runner claimed a task. {@code queueWait} is submit to this claim, on the first attempt
     * only (null on a retry: the wait then measures the failed attempt, not the queue).
     */
    default void started(String taskType, int attempt, Duration queueWait) {
    }

    /**
     * A task reached an end: SUCCEEDED, FAILED ({@code errorType}) or CANCELLED. {@code runTime}
     * is the last attempt's claim to end, or null when no attempt ran it here (a client cancelled
     * it while PENDING, the reconciler or the bus failed it).
     */
    default void ended(String taskType, TaskStatus status, String errorType, Duration runTime) {
    }

    /** One reconciler pass took {@code tasks} actions of one kind ({@code republished}, ...). */
    default void reconciled(String action, int tasks) {
    }

    /** {@code metrics}, with every call's failure caught and logged; {@link #NONE} for null. */
    static TaskMetrics safe(TaskMetrics metrics) {
        if (metrics == null || metrics == NONE) {
            return NONE;
        }
        return metrics instanceof SafeTaskMetrics ? metrics : new SafeTaskMetrics(metrics);
    }
}
