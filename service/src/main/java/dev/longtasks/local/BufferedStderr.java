package dev.longtasks.local;

import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.Charset;
import java.time.Duration;

/**
 * Replaces {@code System.err} with a buffered stream that a daemon thread flushes every
 * {@code interval}. The JDK's own stderr flushes, and so makes a system call, on every line; with
 * one access-log line per request plus two per task that was about a third of the local server's
 * POST throughput. Log lines now reach the terminal up to {@code interval} late; the shutdown path
 * flushes explicitly ({@link #flushNow}) so nothing is lost on SIGTERM.
 *
 * <p>slf4j-simple calls {@code flush()} after every line it writes, which made the buffer useless
 * (a {@code write} system call per log line, two per task in a worker). The installed stream's
 * {@code flush()} therefore does nothing; only the flusher thread and {@link #flushNow} flush.
 */
final class BufferedStderr {
    private BufferedStderr() {
    }

    /** A print stream whose {@code flush()} is left to the flusher thread. */
    static final class Stream extends PrintStream {
        Stream(OutputStream out, Charset charset) {
            super(out, false, charset);
        }

        /** Does nothing: the flusher thread flushes every interval, {@link #flushNow} at once. */
        @Override
        public void flush() {
        }

        void flushNow() {
            super.flush();
        }
    }

    static PrintStream install(Duration interval) {
        Charset charset = Charset.forName(System.getProperty("stderr.encoding", Charset.defaultCharset().name()),
                Charset.defaultCharset());
        Stream buffered = new Stream(
                new BufferedOutputStream(new FileOutputStream(FileDescriptor.err), 64 * 1024), charset);
        System.setErr(buffered);
        Thread.ofPlatform().daemon().name("stderr-flush").start(() -> {
            while (true) {
                try {
                    Thread.sleep(interval);
                } catch (InterruptedException e) {
                    return;
                }
                buffered.flushNow();
            }
        });
        return buffered;
    }

    /** Flushes {@code stream} now, also when it is the installed stream (whose flush() waits). */
    static void flushNow(PrintStream stream) {
        if (stream instanceof Stream s) {
            s.flushNow();
        } else {
            stream.flush();
        }
    }
}
