package dev.longtasks.cli.top;

import java.io.File;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The controlling terminal through stty(1) and /dev/tty: key presses one at a time without echo
 * (Ctrl-C still interrupts), the alternate screen with the cursor hidden, the size on request,
 * and everything put back on {@link #close()} or, after Ctrl-C, at exit. No terminal library and
 * no native code: nothing of this loads unless {@code top} runs.
 */
public final class SttyTerminal implements Terminal {
    private static final File TTY = new File("/dev/tty");
    static final String ENTER_SCREEN = "\u001b[?1049h\u001b[?25l\u001b[2J";
    static final String LEAVE_SCREEN = "\u001b[?25h\u001b[?1049l";

    private final String saved;
    private final InputStream in;
    private final BlockingQueue<Key> keys = new LinkedBlockingQueue<>();
    private final Thread restoreAtExit = new Thread(this::restore, "taskctl-top-restore");
    private boolean restored;

    private SttyTerminal(String saved, InputStream in) {
        this.saved = saved;
        this.in = in;
    }

    /** Puts the terminal into raw mode and the alternate screen; fails when there is no terminal or no stty. */
    public static SttyTerminal open() throws IOException {
        if (!TTY.exists()) {
            throw new IOException("no controlling terminal (/dev/tty)");
        }
        String saved = stty("-g").strip();
        SttyTerminal t = new SttyTerminal(saved, new FileInputStream(TTY));
        Runtime.getRuntime().addShutdownHook(t.restoreAtExit);
        stty("-icanon", "-echo", "min", "1", "time", "0");
        t.write(ENTER_SCREEN);
        Thread.ofPlatform().daemon().name("taskctl-top-keys").start(t::readKeys);
        return t;
    }

    @Override
    public Size size() throws IOException {
        String[] rc = stty("size").strip().split("\\s+");
        try {
            int rows = Integer.parseInt(rc[0]);
            int columns = Integer.parseInt(rc[1]);
            return rows > 0 && columns > 0 ? new Size(rows, columns) : new Size(24, 80);
        } catch (NumberFormatException | ArrayIndexOutOfBoundsException e) {
            return new Size(24, 80);
        }
    }

    @Override
    public Key nextKey(Duration timeout) throws InterruptedException {
        return keys.poll(Math.max(1, timeout.toMillis()), TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        try {
            Runtime.getRuntime().removeShutdownHook(restoreAtExit);
        } catch (IllegalStateException alreadyExiting) {
            // the hook runs anyway
        }
        restore();
    }

    private synchronized void restore() {
        if (restored) {
            return;
        }
        restored = true;
        try {
            write(LEAVE_SCREEN);
            stty(saved);
        } catch (IOException e) {
            // Nothing better to do on the way out; `stty sane` repairs a terminal left raw.
        }
    }

    private void readKeys() {
        try {
            for (Key k = Key.read(in); k != null; k = Key.read(in)) {
                keys.add(k);
            }
        } catch (IOException e) {
            // the terminal went away; the loop keeps polling without keys
        }
    }

    private void write(String s) throws IOException {
        try (OutputStream out = new FileOutputStream(TTY)) {
            out.write(s.getBytes(StandardCharsets.UTF_8));
        }
    }

    /** Runs stty on the terminal (its stdin) and returns what it printed. */
    static String stty(String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add("stty");
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectInput(TTY).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (p.waitFor() != 0) {
                throw new IOException("stty " + String.join(" ", args) + " failed with exit code " + p.exitValue());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running stty", e);
        }
        return out;
    }
}
