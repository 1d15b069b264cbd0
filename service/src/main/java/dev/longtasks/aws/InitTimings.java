package dev.longtasks.aws;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Where a cold start's init time goes, per process: building AWS clients and reading the stage
 * configuration from SSM. The Lambda runtime logs it once; the cold-start benchmark reads it.
 */
public final class InitTimings {
    private static final AtomicLong CLIENT_NANOS = new AtomicLong();
    private static final AtomicLong CONFIG_NANOS = new AtomicLong();

    private InitTimings() {
    }

    static void addClientNanos(long nanos) {
        CLIENT_NANOS.addAndGet(nanos);
    }

    public static void addConfigNanos(long nanos) {
        CONFIG_NANOS.addAndGet(nanos);
    }

    /** Time spent constructing AWS SDK clients (and their HTTP client) in this process. */
    public static long clientMillis() {
        return CLIENT_NANOS.get() / 1_000_000;
    }

    /** Time spent reading the stage's SSM parameters (the call itself; the SSM client is counted above). */
    public static long configMillis() {
        return CONFIG_NANOS.get() / 1_000_000;
    }
}
