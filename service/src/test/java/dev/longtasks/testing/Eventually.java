package dev.longtasks.testing;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.junit.jupiter.api.Assertions;

/**
 * Polls for a state that other processes or threads reach (tasks run on other threads). The
 * limits are generous: they only stop a hung test, they never measure anything.
 */
public final class Eventually {
    /** The limit of {@link #until}. */
    public static final Duration LIMIT = Duration.ofSeconds(20);

    private Eventually() {
    }

    public static void await(String what, Duration limit, BooleanSupplier done) {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                Assertions.fail("gave up waiting after " + limit.toSeconds() + " s for: " + what);
            }
            pause(what, 50);
        }
    }

    public static <T> T value(String what, Duration limit, Supplier<T> probe) {
        Object[] box = new Object[1];
        await(what, limit, () -> (box[0] = probe.get()) != null);
        @SuppressWarnings("unchecked")
        T t = (T) box[0];
        return t;
    }

    /** Probes every 10 ms until {@code done} holds, and returns the value that passed. */
    public static <T> T until(Supplier<T> probe, Predicate<T> done, String what) {
        long deadline = System.nanoTime() + LIMIT.toNanos();
        T last = probe.get();
        while (!done.test(last)) {
            if (System.nanoTime() > deadline) {
                Assertions.fail("gave up waiting for " + what + "; last seen: " + last);
            }
            pause(what, 10);
            last = probe.get();
        }
        return last;
    }

    private static void pause(String what, long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            Assertions.fail("interrupted while waiting for: " + what);
        }
    }
}
