package dev.longtasks.cli.output;

import dev.longtasks.api.TaskView;
import dev.longtasks.cli.options.OutputOptions;
import dev.longtasks.json.Json;
import dev.longtasks.task.TaskStatus;
import java.io.PrintWriter;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Prints task records on stdout: a table for people, or the task view as JSON (one object, or an
 * array for many) or JSONL (one object per line). The JSON fields are listed in the README.
 */
public final class TaskPrinter {
    private final PrintWriter out;
    private final OutputOptions.Format format;
    private final Styles styles;

    public TaskPrinter(PrintWriter out, OutputOptions.Format format, Styles styles) {
        this.out = out;
        this.format = format;
        this.styles = styles;
    }

    /** A printer for a command's {@code -o} and colour choice. */
    public static TaskPrinter to(PrintWriter out, OutputOptions output) {
        return new TaskPrinter(out, output.format(), new Styles(output.colourOut()));
    }

    public void print(Collection<TaskView> tasks) {
        switch (format) {
            case json -> out.println(Json.write(tasks.size() == 1 ? tasks.iterator().next() : tasks));
            case jsonl -> tasks.forEach(t -> out.println(Json.write(t)));
            case text -> table(tasks).print(out);
        }
        out.flush();
    }

    /** Only the results of the tasks that succeeded, one compact JSON value per line (what {@code --result} prints). */
    public void printResults(Collection<TaskView> tasks) {
        for (TaskView t : tasks) {
            if (t.status() == TaskStatus.SUCCEEDED) {
                out.println(t.result() == null ? "null" : t.result());
            }
        }
        out.flush();
    }

    public Table table(Collection<TaskView> tasks) {
        Table table = new Table("TASK ID", "TYPE", "STATUS", "PROGRESS", "ATTEMPT", "UPDATED", "RESULT / ERROR");
        for (TaskView t : tasks) {
            List<UnaryOperator<String>> st = new ArrayList<>();
            for (int i = 0; i < 7; i++) {
                st.add(UnaryOperator.identity());
            }
            st.set(2, s -> styles.status(t.status(), s));
            table.row(List.of(t.taskId(), t.taskType(), statusText(t), progressText(t),
                    String.valueOf(t.attempt()), seconds(t.updatedAt()), outcome(t)), st);
        }
        return table;
    }

    public static String statusText(TaskView t) {
        return t.status().name() + (t.cancelRequested() && !t.status().isTerminal() ? " (cancel requested)" : "");
    }

    public static String progressText(TaskView t) {
        if (t.progress() == null) {
            return "-";
        }
        String msg = t.progress().message();
        return t.progress().percent() + "%" + (msg == null || msg.isBlank() ? "" : " " + msg);
    }

    public static String outcome(TaskView t) {
        if (t.error() != null) {
            return t.error().type() + ": " + t.error().message();
        }
        if (t.result() != null) {
            String r = t.result();
            return r.length() > 120 ? r.substring(0, 117) + "..." : r;
        }
        return "-";
    }

    /** Timestamps to the second in the table; JSON keeps them exact. */
    private static String seconds(String iso) {
        if (iso == null) {
            return "-";
        }
        try {
            return Instant.parse(iso).truncatedTo(ChronoUnit.SECONDS).toString();
        } catch (DateTimeParseException e) {
            return iso;
        }
    }
}
