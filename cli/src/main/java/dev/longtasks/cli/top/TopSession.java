package dev.longtasks.cli.top;

import dev.longtasks.api.TaskListView;
import dev.longtasks.api.TaskStatsView;
import dev.longtasks.api.TaskView;
import dev.longtasks.cli.CliException;
import dev.longtasks.cli.ExitCodes;
import dev.longtasks.cli.backend.ListQuery;
import dev.longtasks.cli.backend.TaskBackend;
import dev.longtasks.cli.watch.PollSchedule;
import dev.longtasks.task.CancelResult;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The loop of {@code taskctl top}: polls the open tasks and the counts (adaptively, as
 * {@code watch} does), redraws, and acts on keys until {@code q}. {@code c} asks "cancel? [y/N]"
 * about the selected task and cancels it on {@code y}. A failed poll after the first shows its
 * message in the footer and polling goes on; the first one ends {@code top} with the error.
 */
public final class TopSession {
    /** How often the terminal's size is asked for, to follow a resize. */
    private static final Duration SIZE_CHECK = Duration.ofMillis(500);

    private final TaskBackend backend;
    private final Terminal terminal;
    private final PrintWriter out;
    private final TopView view;
    private final Duration interval;
    private final String target;
    private final Clock clock;

    private List<TaskView> tasks = List.of();
    private TaskStatsView stats;
    private String selected;
    private TaskView asking;
    private String message;
    private Terminal.Size size;
    private List<String> lastFrame = List.of();

    public TopSession(TaskBackend backend, Terminal terminal, PrintWriter out, TopView view, Duration interval,
                      String target, Clock clock) {
        this.backend = backend;
        this.terminal = terminal;
        this.out = out;
        this.view = view;
        this.interval = interval;
        this.target = target;
        this.clock = clock;
    }

    /** Runs until {@code q}; returns the exit code. */
    public int run() throws InterruptedException, IOException {
        PollSchedule schedule = new PollSchedule(interval);
        size = terminal.size();
        poll(true);
        Instant nextPoll = clock.instant().plus(schedule.next(true));
        Instant nextSizeCheck = clock.instant().plus(SIZE_CHECK);
        draw(true);
        while (true) {
            Instant now = clock.instant();
            Instant wake = nextPoll.isBefore(nextSizeCheck) ? nextPoll : nextSizeCheck;
            Key key = terminal.nextKey(Duration.between(now, wake));
            if (key == Key.QUIT && asking == null) {
                return ExitCodes.OK;
            }
            boolean pollNow = key != null && act(key);
            now = clock.instant();
            if (pollNow || !now.isBefore(nextPoll)) {
                boolean changed = poll(false);
                nextPoll = clock.instant().plus(schedule.next(changed || pollNow));
            }
            boolean resized = false;
            if (!now.isBefore(nextSizeCheck)) {
                Terminal.Size s = terminal.size();
                resized = !s.equals(size);
                size = s;
                nextSizeCheck = now.plus(SIZE_CHECK);
            }
            draw(resized);
        }
    }

    /** Acts on a key; true when the data should be read again at once. */
    private boolean act(Key key) {
        if (asking != null) {
            TaskView t = asking;
            asking = null;
            if (key == Key.YES) {
                message = cancel(t);
                return true;
            }
            message = "not cancelled: " + shortId(t);
            return false;
        }
        switch (key) {
            case UP -> move(-1);
            case DOWN -> move(1);
            case CANCEL -> {
                TaskView t = selectedTask();
                if (t == null) {
                    message = "no task selected";
                } else {
                    asking = t;
                }
            }
            case REFRESH -> {
                return true;
            }
            default -> {
            }
        }
        return false;
    }

    private String cancel(TaskView t) {
        try {
            return switch (backend.cancel(t.taskId())) {
                case CancelResult.Cancelled c -> "cancelled " + shortId(t);
                case CancelResult.Requested r -> "cancel requested: " + shortId(t) + " stops at its next check";
                case CancelResult.AlreadyFinished f -> shortId(t) + " had already ended " + f.task().status();
                case CancelResult.NotFound n -> shortId(t) + " is gone (expired)";
            };
        } catch (CliException e) {
            return "cancel failed: " + e.getMessage();
        }
    }

    private void move(int by) {
        if (tasks.isEmpty()) {
            return;
        }
        int i = Math.max(0, Math.min(tasks.size() - 1, indexOf(selected) + by));
        selected = tasks.get(i).taskId();
    }

    /**
     * Reads the open tasks (as many as fit, at least a page) and the counts. The selection stays
     * on its task; when that task is gone it moves to the row where it was.
     */
    private boolean poll(boolean first) {
        List<TaskView> before = tasks;
        try {
            int limit = Math.min(500, Math.max(50, size.rows()));
            TaskListView page = backend.list(new ListQuery(List.of("PENDING", "RUNNING"), List.of(), null, limit, null));
            TaskStatsView counts = backend.stats(null);
            int at = Math.max(0, indexOf(selected));
            tasks = page.tasks();
            stats = counts;
            if (indexOf(selected) < 0) {
                selected = tasks.isEmpty() ? null : tasks.get(Math.min(at, tasks.size() - 1)).taskId();
            }
            if (message != null && message.startsWith("error: ")) {
                message = null;
            }
        } catch (CliException e) {
            if (first) {
                throw e;
            }
            message = "error: " + e.getMessage() + " (retrying)";
            return false;
        }
        return !Objects.equals(states(before), states(tasks));
    }

    private static List<List<Object>> states(List<TaskView> views) {
        return views.stream().map(t -> List.<Object>of(t.taskId(), t.status(), Objects.toString(t.progress()),
                t.cancelRequested())).toList();
    }

    private void draw(boolean clear) {
        String prompt = asking == null ? null
                : "Cancel task " + asking.taskId() + " (" + asking.taskType() + ", " + asking.status() + ")? [y/N]";
        List<String> frame = view.render(new TopView.Frame(target, tasks, stats, selected, prompt, message, clock.instant()), size);
        if (!clear && frame.equals(lastFrame)) {
            return;
        }
        StringBuilder sb = new StringBuilder(clear ? "\u001b[H\u001b[2J" : "\u001b[H");
        for (int i = 0; i < frame.size(); i++) {
            sb.append(frame.get(i)).append("\u001b[K");
            // No newline after the last row: it would scroll the screen by one.
            if (i < frame.size() - 1) {
                sb.append("\r\n");
            }
        }
        sb.append("\u001b[J");
        out.print(sb);
        out.flush();
        lastFrame = frame;
    }

    private TaskView selectedTask() {
        int i = indexOf(selected);
        return i < 0 ? null : tasks.get(i);
    }

    private int indexOf(String id) {
        for (int i = 0; i < tasks.size(); i++) {
            if (tasks.get(i).taskId().equals(id)) {
                return i;
            }
        }
        return -1;
    }

    private static String shortId(TaskView t) {
        return t.taskId().substring(0, Math.min(8, t.taskId().length()));
    }
}
