package dev.longtasks.cli.watch;

import dev.longtasks.api.TaskView;
import dev.longtasks.cli.output.Styles;
import dev.longtasks.cli.output.TaskPrinter;
import dev.longtasks.json.Json;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;

/**
 * Shows a watch as it runs.
 * <ul>
 *   <li>{@code LIVE} (stderr is a terminal): a block of one line per task, redrawn in place.</li>
 *   <li>{@code LIVE_PLAIN} (a terminal, but NO_COLOR/--no-color, one task): the line is redrawn with a
 *       carriage return only, so not one escape sequence is written.</li>
 *   <li>{@code LINES} (stderr is not a terminal): one line per change on stderr, never a redraw.</li>
 *   <li>{@code JSONL}: one task view per change on stdout, nothing else there.</li>
 *   <li>{@code QUIET}: nothing but the final record and errors.</li>
 * </ul>
 * Notes and problems (still PENDING, not found, timed out) always go to stderr, one line each.
 */
public final class WatchDisplay implements WatchListener {
    public enum Mode { LIVE, LIVE_PLAIN, LINES, JSONL, QUIET }

    private static final String[] SPINNER = {"⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"};

    private final Mode mode;
    private final PrintWriter out;
    private final PrintWriter err;
    private final Styles styles;
    private final String doctorHint;
    private final String targetFlags;
    private int drawnLines;
    private int plainWidth;
    private int frame;

    public WatchDisplay(Mode mode, PrintWriter out, PrintWriter err, Styles styles, String doctorHint, String targetFlags) {
        this.targetFlags = targetFlags;
        this.mode = mode;
        this.out = out;
        this.err = err;
        this.styles = styles;
        this.doctorHint = doctorHint;
    }

    @Override
    public void changed(TaskView t, Duration elapsed) {
        switch (mode) {
            case LINES -> {
                err.println(seconds(elapsed) + "  " + t.taskId() + "  " + TaskPrinter.statusText(t)
                        + "  " + TaskPrinter.progressText(t));
                err.flush();
            }
            case JSONL -> {
                out.println(Json.write(t));
                out.flush();
            }
            default -> {
            }
        }
    }

    @Override
    public void polled(Map<String, TaskView> latest, Duration elapsed) {
        if (mode == Mode.LIVE_PLAIN && !latest.isEmpty()) {
            TaskView t = latest.values().iterator().next();
            String line = TaskPrinter.statusText(t) + "  " + t.taskId() + "  " + bar(t) + " "
                    + TaskPrinter.progressText(t) + "  " + seconds(elapsed);
            err.print("\r" + line + " ".repeat(Math.max(0, plainWidth - line.length())));
            plainWidth = line.length();
            err.flush();
            return;
        }
        if (mode != Mode.LIVE || latest.isEmpty()) {
            return;
        }
        frame++;
        StringBuilder sb = new StringBuilder();
        if (drawnLines > 0) {
            sb.append("\u001b[").append(drawnLines).append('F'); // back to the first line of the block
        }
        for (TaskView t : latest.values()) {
            String mark = t.status().isTerminal() ? (t.status().name().equals("SUCCEEDED") ? "✓" : "✗") : SPINNER[frame % SPINNER.length];
            sb.append("\u001b[2K").append(styles.status(t.status(), mark + " " + TaskPrinter.statusText(t)))
                    .append("  ").append(t.taskId()).append("  ").append(bar(t)).append(' ')
                    .append(TaskPrinter.progressText(t)).append("  ").append(styles.dim(seconds(elapsed)))
                    .append('\n');
        }
        drawnLines = latest.size();
        err.print(sb);
        err.flush();
    }

    private static String bar(TaskView t) {
        int pct = t.progress() == null ? 0 : t.progress().percent();
        int filled = pct / 5;
        return "[" + "#".repeat(filled) + "-".repeat(20 - filled) + "]";
    }

    @Override
    public void stillPending(String taskId, Duration elapsed) {
        note("task " + taskId + " is still PENDING after " + elapsed.toSeconds() + " s — is the listener subscribed? "
                + doctorHint);
    }

    @Override
    public void ended(WatchOutcome o, Duration elapsed) {
        switch (o) {
            case WatchOutcome.NotFound nf -> note(nf.seenBefore()
                    ? "task " + nf.taskId() + " disappeared while watched: it expired (tasks are kept 1 h after their last update)"
                    : "task " + nf.taskId() + " not found: unknown or expired id (tasks are kept 1 h after their last update)");
            case WatchOutcome.TimedOut to -> note("timed out after " + seconds(elapsed) + " waiting for task " + to.taskId()
                    + (to.last() == null ? "" : " (still " + TaskPrinter.statusText(to.last()) + ", "
                    + TaskPrinter.progressText(to.last()) + ")")
                    + (to.last() != null && to.last().status().name().equals("PENDING")
                    ? " — is the listener subscribed? " + doctorHint
                    : " — keep following it with `taskctl watch " + targetFlags + to.taskId() + "` or raise --timeout"));
            default -> {
            }
        }
    }

    private void note(String line) {
        if (mode == Mode.LIVE_PLAIN && plainWidth > 0) {
            err.print("\r" + " ".repeat(plainWidth) + "\r");
            plainWidth = 0;
        }
        if (mode == Mode.LIVE && drawnLines > 0) {
            // Print the note above the live block, then let the next poll redraw the block below it.
            err.print("\u001b[" + drawnLines + "F\u001b[J");
            drawnLines = 0;
        }
        err.println("taskctl: " + line);
        err.flush();
    }

    @Override
    public void done() {
        if (mode == Mode.LIVE_PLAIN && plainWidth > 0) {
            err.println();
        }
        err.flush();
        out.flush();
    }

    static String seconds(Duration d) {
        long ms = d.toMillis();
        return ms < 10_000 ? String.format(Locale.ROOT, "%.1fs", ms / 1000.0) : (ms / 1000) + "s";
    }
}
