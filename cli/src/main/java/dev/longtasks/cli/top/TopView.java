package dev.longtasks.cli.top;

import dev.longtasks.api.TaskStatsView;
import dev.longtasks.api.TaskView;
import dev.longtasks.cli.output.Styles;
import dev.longtasks.task.TaskStatus;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import org.fusesource.jansi.Ansi;

/**
 * Draws one frame of {@code taskctl top} for a terminal size: a title line, the counts by status
 * with the oldest PENDING task's age, the open tasks with progress bars (the selected one marked
 * with {@code >}, and in reverse video with colour), and a footer with the keys, a prompt or a
 * message. Every line is cut to the width, so nothing wraps and the frame never scrolls.
 */
public final class TopView {
    /** What is on screen besides the data: the selection, a pending question, the last message. */
    public record Frame(String target, List<TaskView> tasks, TaskStatsView stats, String selected, String prompt,
                        String message, Instant now) {
    }

    static final String KEYS = "↑/↓ or j/k select  c cancel  r refresh  q quit";
    private static final int ID = 8;
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss");

    private final Styles styles;
    private final ZoneId zone;

    public TopView(Styles styles, ZoneId zone) {
        this.styles = styles;
        this.zone = zone;
    }

    public List<String> render(Frame f, Terminal.Size size) {
        int width = size.columns();
        List<String> lines = new ArrayList<>();
        String clock = CLOCK.format(LocalTime.ofInstant(f.now(), zone));
        String title = fit("taskctl top — " + f.target(), width - clock.length() - 1);
        lines.add(width < clock.length() + 2 ? bold(fit(title, width))
                : bold(title) + " ".repeat(Math.max(1, width - title.length() - clock.length())) + clock);
        lines.add(counts(f, width));
        lines.add("");
        int typeWidth = Math.min(16, Math.max(4, f.tasks().stream().mapToInt(t -> t.taskType().length()).max().orElse(4)));
        int bar = Math.max(10, Math.min(30, width - (2 + ID + 2 + typeWidth + 2 + 9 + 2 + 8 + 2 + 6 + 2 + 12)));
        lines.add(dim(fit("  " + pad("TASK ID", ID) + "  " + pad("TYPE", typeWidth) + "  " + pad("STATUS", 9) + "  "
                + pad("PROGRESS", bar + 8) + "  " + pad("AGE", 6) + "  MESSAGE", width)));
        int room = Math.max(0, size.rows() - lines.size() - 1);
        if (f.tasks().isEmpty() && room > 0) {
            lines.add(fit("  No open tasks (PENDING or RUNNING).", width));
        }
        int first = firstVisible(f, room);
        for (int i = first; i < f.tasks().size() && i < first + room; i++) {
            TaskView t = f.tasks().get(i);
            boolean selected = t.taskId().equals(f.selected());
            String status = t.status().name();
            String row = fit((selected ? "> " : "  ") + pad(t.taskId().substring(0, Math.min(ID, t.taskId().length())), ID)
                    + "  " + pad(fit(t.taskType(), typeWidth), typeWidth) + "  " + pad(status, 9) + "  " + progress(t, bar)
                    + "  " + pad(age(t, f.now()), 6) + "  " + message(t), width);
            lines.add(selected && styles.colour() ? reverse(row) : colourStatus(row, t.status(), 2 + ID + 2 + typeWidth + 2));
        }
        while (lines.size() < size.rows() - 1) {
            lines.add("");
        }
        String shownBelow = f.tasks().size() > first + room ? "  (" + (f.tasks().size() - first - room) + " more below)" : "";
        String footer = f.prompt() != null ? f.prompt() : f.message() != null ? f.message() + "   " + KEYS : KEYS + shownBelow;
        lines.add(f.prompt() != null ? bold(fit(footer, width)) : fit(footer, width));
        return lines.subList(0, Math.min(lines.size(), size.rows()));
    }

    /** Scrolls so that the selected row is on screen. */
    private static int firstVisible(Frame f, int room) {
        int index = 0;
        for (int i = 0; i < f.tasks().size(); i++) {
            if (f.tasks().get(i).taskId().equals(f.selected())) {
                index = i;
            }
        }
        return Math.max(0, index - room + 1);
    }

    private String counts(Frame f, int width) {
        StringBuilder plain = new StringBuilder();
        StringBuilder styled = new StringBuilder();
        for (TaskStatus s : TaskStatus.values()) {
            String part = s.name() + " " + f.stats().byStatus().getOrDefault(s, 0L) + "  ";
            if (plain.length() + part.length() > width) {
                break;
            }
            plain.append(part);
            styled.append(styles.status(s, s.name())).append(part.substring(s.name().length()));
        }
        TaskStatsView.OldestPending oldest = f.stats().oldestPending();
        String tail = oldest == null ? "no task waiting" : "oldest pending " + oldest.taskId().substring(0, ID) + " "
                + duration(Duration.ofSeconds(oldest.ageSeconds()));
        if (plain.length() + tail.length() <= width) {
            styled.append(tail);
        }
        return styled.toString();
    }

    private static String progress(TaskView t, int bar) {
        int pct = t.progress() == null ? 0 : Math.max(0, Math.min(100, t.progress().percent()));
        int filled = pct * bar / 100;
        String text = t.progress() == null ? "   -" : String.format("%3d%%", pct);
        return "[" + "#".repeat(filled) + "-".repeat(bar - filled) + "] " + text + " ";
    }

    private static String message(TaskView t) {
        String m = t.progress() == null || t.progress().message() == null ? "" : t.progress().message();
        return t.cancelRequested() ? "cancel requested" + (m.isEmpty() ? "" : "; " + m) : m;
    }

    private static String age(TaskView t, Instant now) {
        return duration(Duration.between(Instant.parse(t.createdAt()), now));
    }

    static String duration(Duration d) {
        long s = Math.max(0, d.toSeconds());
        if (s < 60) {
            return s + "s";
        }
        if (s < 3600) {
            return (s / 60) + "m" + String.format("%02d", s % 60) + "s";
        }
        return (s / 3600) + "h" + String.format("%02d", (s % 3600) / 60) + "m";
    }

    /** Cuts to {@code width} characters, with "…" where something was cut. */
    static String fit(String s, int width) {
        if (width <= 0) {
            return "";
        }
        return s.length() <= width ? s : s.substring(0, width - 1) + "…";
    }

    private static String pad(String s, int width) {
        return s.length() >= width ? s : s + " ".repeat(width - s.length());
    }

    private String colourStatus(String row, TaskStatus status, int at) {
        String name = status.name();
        if (!styles.colour() || row.length() < at + name.length() || !row.startsWith(name, at)) {
            return row;
        }
        return row.substring(0, at) + styles.status(status, name) + row.substring(at + name.length());
    }

    private String bold(String s) {
        return styles.colour() ? Ansi.ansi().bold().a(s).reset().toString() : s;
    }

    private String dim(String s) {
        return styles.dim(s);
    }

    private static String reverse(String s) {
        return Ansi.ansi().a(Ansi.Attribute.NEGATIVE_ON).a(s).reset().toString();
    }
}
