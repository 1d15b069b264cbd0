package dev.longtasks.task;

import java.time.Duration;

/**
 * How the runner holds and times a task.
 *
 * @param lease how long a claim stays valid without a heartbeat; a crashed worker's task is
 *     re-claimed after it passes
 * @param heartbeat how often a running task's lease is renewed (and cancellation re-read)
 * @param maxAttempts claims allowed before the task ends FAILED ({@code MaxAttemptsExceeded})
 * @param safetyMargin time kept back from the budget to record {@code TimedOut} before the
 *     Lambda itself is killed
 */
public record RunnerSettings(Duration lease, Duration heartbeat, int maxAttempts, Duration safetyMargin) {
    public static final RunnerSettings DEFAULTS =
            new RunnerSettings(Duration.ofSeconds(30), Duration.ofSeconds(1), 3, Duration.ofSeconds(5));

    public RunnerSettings {
        if (lease.isNegative() || lease.isZero()) {
            throw new IllegalArgumentException("lease must be positive");
        }
        if (heartbeat.isNegative() || heartbeat.isZero() || heartbeat.compareTo(lease) >= 0) {
            throw new IllegalArgumentException("heartbeat must be positive and shorter than the lease");
        }
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1");
        }
    }

    public RunnerSettings withLease(Duration newLease) {
        Duration hb = heartbeat.compareTo(newLease.dividedBy(3)) < 0 ? heartbeat : newLease.dividedBy(3);
        return new RunnerSettings(newLease, hb, maxAttempts, safetyMargin);
    }

    public RunnerSettings withMaxAttempts(int n) {
        return new RunnerSettings(lease, heartbeat, n, safetyMargin);
    }

    public RunnerSettings withSafetyMargin(Duration margin) {
        return new RunnerSettings(lease, heartbeat, maxAttempts, margin);
    }
}
