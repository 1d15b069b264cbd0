package dev.longtasks.cli.watch;

import java.time.Duration;

/**
 * Adaptive polling: fast at first (a task often ends within a second), backing off by half each
 * quiet poll up to {@code --interval}, and snapping back to fast when something changed.
 */
public final class PollSchedule {
    static final Duration FAST = Duration.ofMillis(200);
    private final long maxMillis;
    private long currentMillis;

    public PollSchedule(Duration interval) {
        this.maxMillis = Math.max(interval.toMillis(), 1);
        this.currentMillis = Math.min(FAST.toMillis(), maxMillis);
    }

    /** The delay before the next poll, given whether the last poll saw a change. */
    public Duration next(boolean changed) {
        if (changed) {
            currentMillis = Math.min(FAST.toMillis(), maxMillis);
        } else {
            currentMillis = Math.min(maxMillis, Math.max(currentMillis + 1, currentMillis * 3 / 2));
        }
        return Duration.ofMillis(currentMillis);
    }
}
