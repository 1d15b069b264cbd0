package dev.longtasks.cli.dlq;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.longtasks.cli.options.OutputOptions;
import dev.longtasks.cli.output.Table;
import dev.longtasks.json.Json;
import java.io.PrintWriter;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * {@code taskctl dlq list}: a table for people, or one object per task for scripts with the
 * fields task_id, task_type, attempts, records, first_failed_at, last_failed_at, condition,
 * error_type, error_message and message_ids (task_id and task_type are null for a record that
 * names no task).
 */
public final class FailedTaskPrinter {
    /** The ERROR column is cut here; -o json has the whole message. */
    static final int ERROR_WIDTH = 100;

    private FailedTaskPrinter() {
    }

    public static void print(PrintWriter out, OutputOptions.Format format, List<FailedTask> tasks) {
        switch (format) {
            case text -> {
                if (!tasks.isEmpty()) {
                    Table t = new Table("TASK ID", "TYPE", "ATTEMPTS", "FIRST FAILED", "LAST FAILED", "ERROR");
                    for (FailedTask f : tasks) {
                        t.row(dash(f.taskId()), dash(f.taskType()), Integer.toString(f.attempts()), time(f.firstFailure()),
                                time(f.lastFailure()), cut(f.error()));
                    }
                    t.print(out);
                }
            }
            case json -> out.println(Json.write(tasks.stream().map(FailedTaskPrinter::json).toList()));
            case jsonl -> tasks.forEach(f -> out.println(Json.write(json(f))));
        }
        out.flush();
    }

    static ObjectNode json(FailedTask f) {
        ObjectNode o = Json.MAPPER.createObjectNode();
        o.put("task_id", f.taskId());
        o.put("task_type", f.taskType());
        o.put("attempts", f.attempts());
        o.put("records", f.records().size());
        o.put("first_failed_at", f.firstFailure() == null ? null : f.firstFailure().toString());
        o.put("last_failed_at", f.lastFailure() == null ? null : f.lastFailure().toString());
        o.put("condition", f.condition());
        o.put("error_type", f.errorType());
        o.put("error_message", f.errorMessage());
        var ids = o.putArray("message_ids");
        f.messages().forEach(m -> ids.add(m.messageId()));
        return o;
    }

    private static String dash(String s) {
        return s == null ? "-" : s;
    }

    private static String time(Instant t) {
        return t == null ? "-" : t.truncatedTo(ChronoUnit.SECONDS).toString();
    }

    private static String cut(String s) {
        String one = s.replaceAll("\\s+", " ").strip();
        return one.length() <= ERROR_WIDTH ? one : one.substring(0, ERROR_WIDTH - 3) + "...";
    }
}
