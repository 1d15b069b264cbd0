package dev.longtasks.testing;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * What the service logs while this is open: slf4j-simple, the local runtime's binding, writes each
 * line to whatever {@code System.err} is at that moment, so swapping it catches every thread's
 * lines. The lines still reach the real stderr too. Tests run one at a time in this JVM; filter by
 * something unique to the test (a queue name, a task id), since a previous test's threads may
 * still log.
 */
public final class CapturedStderr implements AutoCloseable {
    private final PrintStream original = System.err;
    private final ByteArrayOutputStream captured = new ByteArrayOutputStream();

    private CapturedStderr() {
        PrintStream tee = new PrintStream(new OutputStream() {
            @Override
            public void write(int b) {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) {
                synchronized (captured) {
                    captured.write(b, off, len);
                }
                original.write(b, off, len);
            }
        }, true, StandardCharsets.UTF_8);
        System.setErr(tee);
    }

    public static CapturedStderr start() {
        return new CapturedStderr();
    }

    /** The captured lines that contain every one of {@code fragments}. */
    public List<String> lines(String... fragments) {
        String all;
        synchronized (captured) {
            all = captured.toString(StandardCharsets.UTF_8);
        }
        return all.lines().filter(l -> Arrays.stream(fragments).allMatch(l::contains)).toList();
    }

    @Override
    public void close() {
        System.setErr(original);
    }
}
