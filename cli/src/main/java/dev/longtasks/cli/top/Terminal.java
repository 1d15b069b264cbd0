package dev.longtasks.cli.top;

import java.io.IOException;
import java.time.Duration;

/**
 * The terminal {@code top} runs in: its size, its keys, and putting it back as it was. The screen
 * itself is written through the command's stdout.
 */
public interface Terminal extends AutoCloseable {

    /** Rows and columns, as the terminal reports them now (they change when the window is resized). */
    record Size(int rows, int columns) {
    }

    Size size() throws IOException;

    /** The next key press, or null when none came within {@code timeout}. */
    Key nextKey(Duration timeout) throws InterruptedException;

    /** Restores the terminal's mode; safe to call twice. */
    @Override
    void close();
}
