package dev.longtasks.local;

import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.Charset;
import java.time.Duration;

/**
 * Replaces {@code System.err} with a buffered stream that a daemon thread flushes every
 * {@code interval}. The JDK's own stderr flushes, and so makes a system call, on every line; with
 * one access-log line per request plus two per task that was about a third of the local server's
 * POST throughput. Log lines now reach the terminal up to {@code interval} late; the shutdown path
 * flushes explicitly so nothing is lost on SIGTERM.
 */
final class BufferedStderr {
    private BufferedStderr() {
    }

    static PrintStream install(Duration interval) {
        Charset charset = Charset.forName(System.getProperty("stderr.encoding", Charset.defaultCharset().name()),
                Charset.defaultCharset());
        PrintStream buffered = new PrintStream(
                new BufferedOutputStream(new FileOutputStream(FileDescriptor.err), 64 * 1024), false, charset);
        System.setErr(buffered);
        Thread.ofPlatform().daemon().name("stderr-flush").start(() -> {
            while (true) {
                try {
                    Thread.sleep(interval);
                } catch (InterruptedException e) {
                    return;
                }
                buffered.flush();
            }
        });
        return buffered;
    }
}
