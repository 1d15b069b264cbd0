package dev.longtasks.cli.backend;

import dev.longtasks.api.TaskView;
import dev.longtasks.cli.backend.JsonText.Num;
import dev.longtasks.task.Progress;
import dev.longtasks.task.TaskError;
import dev.longtasks.task.TaskStatus;
import java.io.IOException;
import java.util.Map;

/**
 * Reads the task view the HTTP API answers, to the same {@link TaskView} as
 * {@code Json.MAPPER.readValue(body, TaskView.class)} (TaskViewReaderTest compares the two on
 * every kind of view the service writes, and on refused bodies).
 *
 * <p>Why not Jackson: in a fresh JVM, building the mapper and introspecting TaskView's records
 * took ~60 ms, a third of a whole {@code taskctl status}; this takes well under one, and
 * jackson-core's streaming parser alone still cost 22-36 ms (see {@link JsonText}). It
 * refuses what the mapper refuses: a missing or null field that TaskView marks
 * {@code nulls = FAIL}, a wrong type, an unknown status, malformed JSON; unknown fields are
 * ignored. It is stricter in one way: the mapper would coerce {@code "3"} or {@code 3.0} to an
 * int and a number to a status, which the API never writes. {@code result} comes back as compact JSON text written the
 * way TaskView's raw-JSON reader writes it.
 */
final class TaskViewReader {
    private TaskViewReader() {
    }

    static TaskView read(String body) throws IOException {
        Map<String, Object> f = object(JsonText.parse(body), "a task view");
        Object result = f.get("result");
        try {
            return new TaskView(required(f, "task_id"), required(f, "task_type"),
                    TaskStatus.valueOf(required(f, "status")), progress(f.get("progress")),
                    result == null ? null : JsonText.write(result),
                    error(f.get("error")), integer(f, "attempt"), bool(f, "cancel_requested"),
                    required(f, "created_at"), required(f, "updated_at"),
                    text(f, "started_at"), text(f, "finished_at"), text(f, "expires_at"));
        } catch (IllegalArgumentException e) {
            // An unknown status, or a progress percent outside 0..100 (Progress refuses it).
            throw new IOException(e.getMessage(), e);
        }
    }

    private static Progress progress(Object value) throws IOException {
        if (value == null) {
            return null;
        }
        Map<String, Object> p = object(value, "progress");
        return new Progress(integer(p, "percent"), text(p, "message"));
    }

    private static TaskError error(Object value) throws IOException {
        if (value == null) {
            return null;
        }
        Map<String, Object> e = object(value, "error");
        return new TaskError(text(e, "type"), text(e, "message"));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> object(Object value, String name) throws IOException {
        if (value instanceof Map<?, ?> m) {
            return (Map<String, Object>) m;
        }
        throw new IOException(name + " is not an object");
    }

    private static String required(Map<String, Object> f, String name) throws IOException {
        String s = text(f, name);
        if (s == null) {
            throw new IOException(name + " is missing");
        }
        return s;
    }

    private static String text(Map<String, Object> f, String name) throws IOException {
        Object v = f.get(name);
        if (v == null || v instanceof String) {
            return (String) v;
        }
        throw new IOException(name + " is not a string");
    }

    /** Missing or null is 0, as Jackson gives a primitive. */
    private static int integer(Map<String, Object> f, String name) throws IOException {
        Object v = f.get(name);
        if (v == null) {
            return 0;
        }
        if (v instanceof Num n && n.integral()) {
            try {
                return Integer.parseInt(n.text());
            } catch (NumberFormatException e) {
                throw new IOException(name + " is out of range", e);
            }
        }
        throw new IOException(name + " is not an integer");
    }

    /** Missing or null is false, as Jackson gives a primitive. */
    private static boolean bool(Map<String, Object> f, String name) throws IOException {
        Object v = f.get(name);
        if (v == null || v instanceof Boolean) {
            return Boolean.TRUE.equals(v);
        }
        throw new IOException(name + " is not a boolean");
    }
}
