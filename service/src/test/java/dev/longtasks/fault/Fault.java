package dev.longtasks.fault;

import java.time.Duration;

/**
 * What the {@link FaultProxy} does to the bytes of its connections. The mode can be switched at
 * run time; it is re-read for every chunk a connection forwards, so a switch applies to open
 * connections as well as new ones.
 */
public sealed interface Fault {

    /** Forward everything unchanged. */
    record PassThrough() implements Fault {
    }

    /** Forward everything, but hold each chunk (in both directions) for {@code delay} first. */
    record Latency(Duration delay) implements Fault {
    }

    /**
     * Reset: every open connection is closed with SO_LINGER 0 (the peer sees "connection
     * reset"), and new connections are accepted and reset at once, as if the server had crashed.
     */
    record Reset() implements Fault {
    }

    /**
     * Black hole: connections are accepted but nothing is forwarded or answered; bytes are read
     * and dropped. A connection that saw the black hole stays dead after the mode is switched
     * back (like a peer that vanished), so clients must notice it through their own timeouts.
     */
    record BlackHole() implements Fault {
    }

    static Fault passThrough() {
        return new PassThrough();
    }

    static Fault latency(Duration delay) {
        return new Latency(delay);
    }

    static Fault reset() {
        return new Reset();
    }

    static Fault blackHole() {
        return new BlackHole();
    }
}
