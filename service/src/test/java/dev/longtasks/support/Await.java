package dev.longtasks.support;

import java.time.Duration;
import java.util.function.Supplier;

/** Waits for asynchronous work (tasks run on other threads). The limit is generous: it only stops a hung test. */
public final class Await {
    public static final Duration LIMIT = Duration.ofSeconds(20);

    private Await() {
    }

    public static <T> T until(Supplier<T> probe, java.util.function.Predicate<T> done, String what) {
        long deadline = System.nanoTime() + LIMIT.toNanos();
        T last = probe.get();
        while (!done.test(last)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("gave up waiting for " + what + "; last seen: " + last);
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting for " + what);
            }
            last = probe.get();
        }
        return last;
    }
}
