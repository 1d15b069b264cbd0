package dev.longtasks.local;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class BufferedStderrTest {
    @Test
    void aLoggersFlushDoesNotWriteOnlyTheExplicitOneDoes() {
        ByteArrayOutputStream target = new ByteArrayOutputStream();
        PrintStream err = BufferedStderr.over(target, StandardCharsets.UTF_8);

        // what slf4j-simple does for every line: println, then flush
        err.println("GET /v1/health 200 0ms 49B");
        err.flush();
        assertEquals("", target.toString(StandardCharsets.UTF_8));

        BufferedStderr.flush(err);
        assertEquals("GET /v1/health 200 0ms 49B" + System.lineSeparator(), target.toString(StandardCharsets.UTF_8));
    }

    @Test
    void theExplicitFlushAlsoWorksOnAnyOtherStream() {
        ByteArrayOutputStream target = new ByteArrayOutputStream();
        PrintStream plain = new PrintStream(new java.io.BufferedOutputStream(target), false, StandardCharsets.UTF_8);
        plain.print("x");
        BufferedStderr.flush(plain);
        assertEquals("x", target.toString(StandardCharsets.UTF_8));
    }
}
