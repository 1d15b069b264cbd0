package dev.longtasks.task;

import java.time.Duration;

/**
 * How the runner holds, times and bounds a task.
 *
 * <p>The byte limits keep a task inside one DynamoDB item (400 KB = 409,600 bytes with attribute
 * names): an input of at most 256 KiB (the HTTP body limit) + a result of at most 128 KiB + an
 * error message of at most 4 KiB + a progress message of at most 4 KiB = 392 KiB, which leaves
 * about 8 KiB for the other attributes (under 1 KiB in practice). A success stores no error and
 * a failure no result, so the real margin is larger.
 *
 * @param lease how long a claim stays valid without a heartbeat; a crashed worker's task is
 *     re-claimed after it passes
 * @param heartbeat how often a running task's lease is renewed (and cancellation re-read)
 * @param maxAttempts claims allowed before the task ends FAILED ({@code MaxAttemptsExceeded})
 * @param safetyMargin time kept back from the budget to record {@code TimedOut} before the
 *     Lambda itself is killed; it must exceed the time that last write can take (one AWS call)
 * @param maxResultBytes a larger result ends the task FAILED ({@code ResultTooLarge})
 * @param maxMessageBytes error and progress messages are cut to this many UTF-8 bytes
 */
public record RunnerSettings(Duration lease, Duration heartbeat, int maxAttempts, Duration safetyMargin,
                             int maxResultBytes, int maxMessageBytes) {
    public static final int DEFAULT_MAX_RESULT_BYTES = 128 * 1024;
    public static final int DEFAULT_MAX_MESSAGE_BYTES = 4 * 1024;

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
        if (maxResultBytes < 1 || maxMessageBytes < 64) {
            throw new IllegalArgumentException("maxResultBytes must be positive and maxMessageBytes at least 64");
        }
    }

    /** With the default result and message limits. */
    public RunnerSettings(Duration lease, Duration heartbeat, int maxAttempts, Duration safetyMargin) {
        this(lease, heartbeat, maxAttempts, safetyMargin, DEFAULT_MAX_RESULT_BYTES, DEFAULT_MAX_MESSAGE_BYTES);
    }

    public RunnerSettings withLease(Duration newLease) {
        Duration hb = heartbeat.compareTo(newLease.dividedBy(3)) < 0 ? heartbeat : newLease.dividedBy(3);
        return new RunnerSettings(newLease, hb, maxAttempts, safetyMargin, maxResultBytes, maxMessageBytes);
    }

    public RunnerSettings withMaxAttempts(int n) {
        return new RunnerSettings(lease, heartbeat, n, safetyMargin, maxResultBytes, maxMessageBytes);
    }

    public RunnerSettings withSafetyMargin(Duration margin) {
        return new RunnerSettings(lease, heartbeat, maxAttempts, margin, maxResultBytes, maxMessageBytes);
    }

    public RunnerSettings withLimits(int resultBytes, int messageBytes) {
        return new RunnerSettings(lease, heartbeat, maxAttempts, safetyMargin, resultBytes, messageBytes);
    }
}
