package dev.longtasks.task;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link TaskMetrics} that never throws: a metric is worth less than the task it describes.
 * A failure is logged at most once a minute, with how many calls failed since, so a broken
 * registry cannot flood the log either.
 */
final class SafeTaskMetrics implements TaskMetrics {
    private static final Logger log = LoggerFactory.getLogger(SafeTaskMetrics.class);
    private static final long LOG_EVERY_NANOS = 60_000_000_000L;

    private final TaskMetrics delegate;
    private final AtomicLong failures = new AtomicLong();
    private final AtomicLong lastLog = new AtomicLong(System.nanoTime() - LOG_EVERY_NANOS);

    SafeTaskMetrics(TaskMetrics delegate) {
        this.delegate = delegate;
    }

    @Override
    public void submitted(String taskType) {
        try {
            delegate.submitted(taskType);
        } catch (RuntimeException e) {
            failed("submitted", e);
        }
    }

    @Override
    public void started(String taskType, int attempt, Duration queueWait) {
        try {
            delegate.started(taskType, attempt, queueWait);
        } catch (RuntimeException e) {
            failed("started", e);
        }
    }

    @Override
    public void ended(String taskType, TaskStatus status, String errorType, Duration runTime) {
        try {
            delegate.ended(taskType, status, errorType, runTime);
        } catch (RuntimeException e) {
            failed("ended", e);
        }
    }

    @Override
    public void reconciled(String action, int tasks) {
        try {
            delegate.reconciled(action, tasks);
        } catch (RuntimeException e) {
            failed("reconciled", e);
        }
    }

    private void failed(String what, RuntimeException e) {
        long count = failures.incrementAndGet();
        long now = System.nanoTime();
        long last = lastLog.get();
        if (now - last >= LOG_EVERY_NANOS && lastLog.compareAndSet(last, now)) {
            log.warn("recording the metric '{}' failed ({} failure(s) so far); the task is not affected: {}",
                    what, count, e.toString());
        }
    }
}
