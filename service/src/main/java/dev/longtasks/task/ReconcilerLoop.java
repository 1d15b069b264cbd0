package dev.longtasks.task;

import java.time.Duration;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a {@link Reconciler} every interval on a virtual thread, in the local server and in every
 * self-hosted worker. Only the holder of the store's leader lease acts, so several workers on one
 * store make one pass per interval between them, and another takes over within a few intervals
 * when the holder dies.
 */
public final class ReconcilerLoop implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ReconcilerLoop.class);
    static final String LEASE_NAME = "reconciler";

    private final Reconciler reconciler;
    private final TaskStore store;
    private final Duration interval;
    private final String holder = UUID.randomUUID().toString();
    private final Thread thread;
    private volatile boolean stopped;

    private ReconcilerLoop(Reconciler reconciler, TaskStore store, Duration interval) {
        this.reconciler = reconciler;
        this.store = store;
        this.interval = interval;
        this.thread = Thread.ofVirtual().name("reconciler").unstarted(this::loop);
    }

    /** Starts the loop; its first pass is one interval from now. */
    public static ReconcilerLoop start(Reconciler reconciler, TaskStore store) {
        ReconcilerLoop loop = new ReconcilerLoop(reconciler, store, reconciler.settings().interval());
        loop.thread.start();
        return loop;
    }

    private void loop() {
        // Three intervals: a holder renews every interval, so only a dead one loses the lease.
        Duration leaseTtl = interval.multipliedBy(3);
        while (!stopped) {
            try {
                Thread.sleep(interval);
            } catch (InterruptedException e) {
                return;
            }
            try {
                if (!stopped && store.tryLead(LEASE_NAME, holder, leaseTtl)) {
                    reconciler.runOnce();
                }
            } catch (RuntimeException e) {
                // Once per interval at most, by construction; the next pass tries again.
                log.warn("reconciler pass failed; next try in {} s: {}", interval.toSeconds(), e.toString());
            }
        }
    }

    @Override
    public void close() {
        stopped = true;
        thread.interrupt();
        try {
            thread.join(Duration.ofSeconds(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
