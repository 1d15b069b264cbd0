package dev.longtasks.task;

import java.time.Duration;

/**
 * When the reconciler looks at open tasks and what it does with them.
 *
 * @param dispatchGrace how long a PENDING task may wait for a worker before its event is
 *     published again (the first publish may have been lost); doubled per re-publish
 * @param maxQueueWait how long a task may stay PENDING before it ends FAILED ({@code QueueTimeout})
 * @param interval time between passes; zero turns the in-process schedule off
 * @param batch tasks looked at per pass, at most
 */
public record ReconcilerSettings(Duration dispatchGrace, Duration maxQueueWait, Duration interval, int batch) {
    public static final ReconcilerSettings DEFAULTS =
            new ReconcilerSettings(Duration.ofSeconds(60), Duration.ofHours(1), Duration.ofSeconds(60), 500);

    /** What the stores add to the TTL of an open task by default (the defaults' {@link #openHorizon}). */
    public static final Duration DEFAULT_OPEN_HORIZON = DEFAULTS.openHorizon(RunnerSettings.DEFAULTS.lease());

    public ReconcilerSettings {
        if (dispatchGrace.isNegative() || dispatchGrace.isZero()) {
            throw new IllegalArgumentException("dispatchGrace must be positive");
        }
        if (maxQueueWait.isNegative() || maxQueueWait.isZero()) {
            throw new IllegalArgumentException("maxQueueWait must be positive");
        }
        if (interval.isNegative()) {
            throw new IllegalArgumentException("interval must not be negative");
        }
        if (batch < 1) {
            throw new IllegalArgumentException("batch must be at least 1");
        }
    }

    /**
     * How much longer than the TTL an open task's record must live: it may wait
     * {@link #maxQueueWait}, then run under a lease, and the reconciler needs up to one interval to
     * end it ({@code QueueTimeout}, {@code MaxAttemptsExceeded}) before the record could expire.
     */
    public Duration openHorizon(Duration lease) {
        return maxQueueWait.plus(lease).plus(interval);
    }

    public boolean scheduled() {
        return !interval.isZero();
    }
}
