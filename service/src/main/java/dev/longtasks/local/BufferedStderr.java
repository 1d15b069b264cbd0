package dev.longtasks.local;

import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.Charset;
import java.time.Duration;

/**
 * Replaces {@code System.err} with a buffered stream that a daemon thread flushes every
 * {@code interval}. The JDK's own stderr flushes, and so makes a system call, on every line; with
 * one access-log line per request plus two per task that was about a third of the local server's
 * POST throughput. slf4j-simple also calls {@code flush()} after every line it prints, so the
 * stream ignores {@code flush()}: only the daemon thread and {@link #flush(PrintStream)} write the
 * buffer out. Log lines now reach the terminal up to {@code interval} late; the start-up line and
 * the shutdown path flush explicitly so nothing is lost on SIGTERM. (A write per request on the
 * request's thread, before Jetty takes the connection back, was part of the idle round trip:
 * BENCHMARKS.md, "Sequential latency".)
 */
final class BufferedStderr extends PrintStream {
    private final OutputStream buffer;

    private BufferedStderr(OutputStream buffer, Charset charset) {
        super(new FilterNoFlush(buffer), false, charset);
        this.buffer = buffer;
    }

    static PrintStream install(Duration interval) {
        Charset charset = Charset.forName(System.getProperty("stderr.encoding", Charset.defaultCharset().name()),
                Charset.defaultCharset());
        BufferedStderr buffered = over(new FileOutputStream(FileDescriptor.err), charset);
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

    /** A stream that buffers in front of {@code target} (64 KiB) and writes out only when told to. */
    static BufferedStderr over(OutputStream target, Charset charset) {
        return new BufferedStderr(new BufferedOutputStream(target, 64 * 1024), charset);
    }

    /** Writes out what {@code stream} holds now, whether or not it is a {@link BufferedStderr}. */
    static void flush(PrintStream stream) {
        if (stream instanceof BufferedStderr buffered) {
            buffered.flushNow();
        } else {
            stream.flush();
        }
    }

    /** Ignored: see the class comment; {@link #flush(PrintStream)} is the real one. */
    @Override
    public void flush() {
    }

    private void flushNow() {
        synchronized (this) { // PrintStream writes hold this lock: no line is flushed half-written
            try {
                buffer.flush();
            } catch (IOException e) {
                setError();
            }
        }
    }

    /** Passes writes through and drops {@code flush()}, which PrintStream would otherwise pass on. */
    private static final class FilterNoFlush extends OutputStream {
        private final OutputStream out;

        FilterNoFlush(OutputStream out) {
            this.out = out;
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void flush() {
        }
    }
}
