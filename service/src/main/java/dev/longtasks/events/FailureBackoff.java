package dev.longtasks.events;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.LongSupplier;
import org.slf4j.Logger;

/**
 * Paces a consumer through a run of failures (the store or the queue is down), for the in-process
 * bus, the RabbitMQ source and the SQS source alike.
 * <ul>
 *   <li>Backoff: the n-th failure in a row asks for a pause of about {@code base * 2^(n-1)}, capped,
 *       with jitter (half fixed, half random), so that many consumers do not hammer a recovering
 *       backend in step.</li>
 *   <li>Logging: the first failure of a run is logged at once; after that one line per
 *       {@code interval} sums up the rest ("... failed 37 times in the last 60 s: last reason"),
 *       and one line says when the run ends. A consumer that fails in a loop no longer writes a
 *       line per attempt.</li>
 * </ul>
 * One instance is shared by all consumers of a source: a run of failures is the backend's
 * state, not one thread's. Thread-safe; a success costs one volatile read.
 */
final class FailureBackoff {
    static final Duration BASE = Duration.ofMillis(250);
    static final Duration CAP = Duration.ofSeconds(30);
    static final Duration LOG_INTERVAL = Duration.ofSeconds(60);

    private final Logger log;
    private final String what;
    private final long baseNanos;
    private final long capNanos;
    private final long intervalNanos;
    private final LongSupplier nanoTime;
    private volatile int inARow;
    private int sinceLastLine;
    private long lastLineAt;

    /** {@code what} names the operation in the log, e.g. "SQS ReceiveMessage from https://...". */
    FailureBackoff(Logger log, String what) {
        this(log, what, BASE, CAP, LOG_INTERVAL, System::nanoTime);
    }

    FailureBackoff(Logger log, String what, Duration base, Duration cap, Duration interval, LongSupplier nanoTime) {
        this.log = log;
        this.what = what;
        this.baseNanos = base.toNanos();
        this.capNanos = cap.toNanos();
        this.intervalNanos = interval.toNanos();
        this.nanoTime = nanoTime;
    }

    /** Records one failure, logs it when a line is due, and returns how long to pause before the next try. */
    Duration failed(String reason) {
        return failed(reason, null);
    }

    /** As {@link #failed(String)}; the first line of a run also carries {@code cause}'s stack trace. */
    Duration failed(String reason, Throwable cause) {
        String line = null;
        boolean first = false;
        int n;
        synchronized (this) {
            n = ++inARow;
            long now = nanoTime.getAsLong();
            if (n == 1) {
                first = true;
                line = what + " failed: " + reason;
                lastLineAt = now;
                sinceLastLine = 0;
            } else {
                sinceLastLine++;
                long elapsed = now - lastLineAt;
                if (elapsed >= intervalNanos) {
                    line = what + " failed " + sinceLastLine + " times in the last "
                            + Duration.ofNanos(elapsed).toSeconds() + " s: " + reason;
                    lastLineAt = now;
                    sinceLastLine = 0;
                }
            }
        }
        if (line != null) {
            if (first && cause != null) {
                log.warn(line, cause);
            } else {
                log.warn(line);
            }
        }
        return Duration.ofNanos(pauseNanos(n));
    }

    /** The pause after the n-th failure in a row: between half and all of min(cap, base * 2^(n-1)). */
    long pauseNanos(int n) {
        int shift = n - 1;
        // a shift that would overflow is past the cap anyway
        long full = shift >= Long.numberOfLeadingZeros(baseNanos) - 1 ? capNanos : Math.min(capNanos, baseNanos << shift);
        long half = full / 2;
        return half + ThreadLocalRandom.current().nextLong(full - half + 1);
    }

    /** Records a success: a run of failures ends, and says so in one line. */
    void succeeded() {
        if (inARow == 0) {
            return;
        }
        int n;
        synchronized (this) {
            n = inARow;
            inARow = 0;
        }
        if (n > 0) {
            log.info("{} works again after {} failure{}", what, n, n == 1 ? "" : "s");
        }
    }

    /** {@link #failed(String)} followed by the pause; false when the pause was interrupted. */
    boolean pauseAfter(String reason) {
        return sleep(failed(reason));
    }

    /** {@link #failed(String, Throwable)} followed by the pause; false when the pause was interrupted. */
    boolean pauseAfter(String reason, Throwable cause) {
        return sleep(failed(reason, cause));
    }

    private static boolean sleep(Duration pause) {
        try {
            Thread.sleep(pause);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
