package dev.longtasks.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The local runtime's stderr: log lines are written in batches, not one system call each. */
class BufferedStderrTest {
    /** Counts the writes that would be system calls on the real file descriptor. */
    private static final class CountingSink extends ByteArrayOutputStream {
        int writes;

        @Override
        public synchronized void write(byte[] b, int off, int len) {
            writes++;
            super.write(b, off, len);
        }

        @Override
        public synchronized void write(int b) {
            writes++;
            super.write(b);
        }
    }

    @Test
    void a_loggers_flush_after_every_line_does_not_reach_the_descriptor() {
        CountingSink sink = new CountingSink();
        BufferedStderr.Stream err = new BufferedStderr.Stream(new BufferedOutputStream(sink, 64 * 1024),
                StandardCharsets.UTF_8);
        for (int i = 0; i < 100; i++) {
            // What slf4j-simple's SimpleLogger.write does for every line.
            err.println("task t" + i + " attempt 1 started (type noop)");
            err.flush();
        }
        assertThat(sink.writes).isZero();

        BufferedStderr.flushNow(err);

        assertThat(sink.writes).isEqualTo(1);
        String out = sink.toString(StandardCharsets.UTF_8);
        assertThat(out.lines()).hasSize(100).startsWith("task t0 attempt 1 started (type noop)")
                .endsWith("task t99 attempt 1 started (type noop)");
    }

    @Test
    void flush_now_flushes_any_other_stream_as_usual() {
        CountingSink sink = new CountingSink();
        PrintStream plain = new PrintStream(new BufferedOutputStream(sink, 1024), false, StandardCharsets.UTF_8);
        plain.println("error: PORT=abc is not a whole number");
        assertThat(sink.writes).isZero();

        BufferedStderr.flushNow(plain);

        assertThat(sink.toString(StandardCharsets.UTF_8)).isEqualTo("error: PORT=abc is not a whole number"
                + System.lineSeparator());
    }
}
