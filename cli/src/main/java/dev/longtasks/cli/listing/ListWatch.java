package dev.longtasks.cli.listing;

import dev.longtasks.api.TaskListView;
import dev.longtasks.api.TaskView;
import dev.longtasks.cli.backend.ListQuery;
import dev.longtasks.cli.backend.TaskBackend;
import dev.longtasks.cli.output.TaskPrinter;
import dev.longtasks.cli.watch.PollSchedule;
import dev.longtasks.json.Json;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * {@code taskctl ls --watch}: polls the newest page with adaptive pauses (fast after a change,
 * backing off to {@code --interval}) until interrupted.
 * <ul>
 *   <li>{@code REDRAW} (stdout is a terminal with colour): the table redrawn in place, as watch(1) does;</li>
 *   <li>{@code LINES} (a pipe, a file, or no colour): one line per new or changed task, never a redraw;</li>
 *   <li>{@code JSONL}: one task view per new or changed task.</li>
 * </ul>
 */
public final class ListWatch {
    public enum Mode { REDRAW, LINES, JSONL }

    private final TaskBackend backend;
    private final ListQuery query;
    private final Duration interval;
    private final Mode mode;
    private final TaskPrinter printer;
    private final String title;
    private final Map<String, List<Object>> seen = new HashMap<>();
    private boolean drawn;

    public ListWatch(TaskBackend backend, ListQuery query, Duration interval, Mode mode, TaskPrinter printer, String title) {
        this.backend = backend;
        this.query = query;
        this.interval = interval;
        this.mode = mode;
        this.printer = printer;
        this.title = title.strip();
    }

    /** Runs until the thread is interrupted (Ctrl-C ends the process): that is the only way out. */
    public int run(PrintWriter out) throws InterruptedException {
        PollSchedule schedule = new PollSchedule(interval);
        while (true) {
            TaskListView page = backend.list(query);
            boolean changed = false;
            // Oldest first, so lines read in the order things happened on the page.
            List<TaskView> tasks = page.tasks().reversed();
            for (TaskView t : tasks) {
                List<Object> state = List.of(t.status(), Objects.toString(t.progress()), t.attempt(), t.cancelRequested());
                if (!state.equals(seen.put(t.taskId(), state))) {
                    changed = true;
                    if (mode == Mode.LINES) {
                        out.println(line(t));
                    } else if (mode == Mode.JSONL) {
                        out.println(Json.write(t));
                    }
                }
            }
            if (mode == Mode.REDRAW) {
                redraw(out, page);
            }
            out.flush();
            if (Thread.currentThread().isInterrupted()) {
                throw new InterruptedException();
            }
            Thread.sleep(schedule.next(changed).toMillis());
        }
    }

    /** One line per change: when it changed, the id, the type, the status and the progress. */
    static String line(TaskView t) {
        String at = Instant.parse(t.updatedAt()).truncatedTo(ChronoUnit.SECONDS).toString();
        return at + "  " + t.taskId() + "  " + t.taskType() + "  " + TaskPrinter.statusText(t) + "  " + TaskPrinter.progressText(t);
    }

    private static String seconds(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + "s" : d.toMillis() + "ms";
    }

    private void redraw(PrintWriter out, TaskListView page) {
        StringWriter frame = new StringWriter();
        PrintWriter w = new PrintWriter(frame);
        w.println("Every " + seconds(interval) + " (faster after a change): " + title + "    "
                + LocalTime.now().truncatedTo(ChronoUnit.SECONDS));
        w.println();
        if (page.tasks().isEmpty()) {
            w.println("no tasks match (since " + page.since() + ")");
        } else {
            printer.table(page.tasks()).print(w);
        }
        if (page.nextCursor() != null) {
            w.println("(more tasks match: raise --limit to see them)");
        }
        w.flush();
        StringBuilder sb = new StringBuilder(drawn ? "\u001b[H" : "\u001b[H\u001b[2J");
        // Each line clears what a longer line of the last frame left; the end clears what is below.
        frame.toString().lines().forEach(l -> sb.append(l).append("\u001b[K\n"));
        sb.append("\u001b[J");
        out.print(sb);
        drawn = true;
    }
}
