package dev.longtasks.store;

import dev.longtasks.task.Progress;
import dev.longtasks.task.Task;
import dev.longtasks.task.TaskError;
import dev.longtasks.task.TaskStatus;
import dev.longtasks.task.TaskStoreException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * A task as a Redis hash: one field per DESIGN §3 attribute (snake_case), absent when null.
 * Numbers are decimal text, timestamps ISO-8601, {@code cancel_requested} is "0"/"1".
 * {@code due_at} is present while the task is in the open-task index, {@code dispatches} once it
 * is above 0, and {@code completion_sent} ("0") only while an ended task's event is owed: a hash
 * written before these existed reads as not indexed with nothing owed.
 */
final class RedisTaskCodec {
    private RedisTaskCodec() {
    }

    /** The field/value pairs of a new record, in the order HSET takes them. */
    static List<String> fields(Task t) {
        List<String> out = new ArrayList<>(34);
        put(out, "task_id", t.taskId());
        put(out, "task_type", t.taskType());
        put(out, "status", t.status().name());
        put(out, "input", t.input());
        put(out, "result", t.result());
        if (t.error() != null) {
            put(out, "error_type", t.error().type());
            put(out, "error_message", t.error().message());
        }
        if (t.progress() != null) {
            put(out, "progress_percent", Integer.toString(t.progress().percent()));
            put(out, "progress_message", t.progress().message());
        }
        put(out, "attempt", Integer.toString(t.attempt()));
        put(out, "lease_until", Long.toString(t.leaseUntil()));
        put(out, "cancel_requested", t.cancelRequested() ? "1" : "0");
        put(out, "created_at", iso(t.createdAt()));
        put(out, "updated_at", iso(t.updatedAt()));
        put(out, "started_at", iso(t.startedAt()));
        put(out, "finished_at", iso(t.finishedAt()));
        put(out, "ttl", Long.toString(t.ttl()));
        if (t.isIndexed()) {
            put(out, "due_at", Long.toString(t.dueAt()));
        }
        if (t.dispatches() > 0) {
            put(out, "dispatches", Integer.toString(t.dispatches()));
        }
        if (t.status().isTerminal() && !t.completionSent()) {
            put(out, "completion_sent", "0");
        }
        return out;
    }

    private static void put(List<String> out, String field, String value) {
        if (value != null) {
            out.add(field);
            out.add(value);
        }
    }

    private static String iso(Instant i) {
        return i == null ? null : i.toString();
    }

    /** The script argument for an optional value: '' for null, else '=' + value (see prelude.lua). */
    static String optional(String value) {
        return value == null ? "" : "=" + value;
    }

    /** Decodes the flat [field, value, ...] list a script returns from HGETALL. */
    static Task fromFlatList(String taskId, List<?> flat) {
        Map<String, String> h = new HashMap<>();
        for (int i = 0; i + 1 < flat.size(); i += 2) {
            h.put((String) flat.get(i), (String) flat.get(i + 1));
        }
        return fromHash(taskId, h);
    }

    /** Throws a non-retryable {@link TaskStoreException} naming the task and field when a field cannot be read. */
    static Task fromHash(String taskId, Map<String, String> h) {
        String errorType = h.get("error_type");
        String percent = h.get("progress_percent");
        TaskStatus status = field(taskId, h, "status", null, TaskStatus::valueOf);
        return new Task(
                field(taskId, h, "task_id", null, v -> v),
                field(taskId, h, "task_type", null, v -> v),
                status,
                h.get("input"),
                h.get("result"),
                errorType == null ? null : new TaskError(errorType, h.get("error_message")),
                percent == null ? null : new Progress(field(taskId, h, "progress_percent", null, Integer::parseInt),
                        h.get("progress_message")),
                field(taskId, h, "attempt", "0", Integer::parseInt),
                field(taskId, h, "lease_until", "0", Long::parseLong),
                "1".equals(h.get("cancel_requested")),
                field(taskId, h, "created_at", null, RedisTaskCodec::instant),
                field(taskId, h, "updated_at", null, RedisTaskCodec::instant),
                h.containsKey("started_at") ? field(taskId, h, "started_at", null, RedisTaskCodec::instant) : null,
                h.containsKey("finished_at") ? field(taskId, h, "finished_at", null, RedisTaskCodec::instant) : null,
                field(taskId, h, "ttl", "0", Long::parseLong),
                field(taskId, h, "due_at", "0", Long::parseLong),
                field(taskId, h, "dispatches", "0", Integer::parseInt),
                status.isTerminal() && !"0".equals(h.get("completion_sent")));
    }

    private static <T> T field(String taskId, Map<String, String> h, String name, String dflt, Function<String, T> parse) {
        String v = h.getOrDefault(name, dflt);
        try {
            T parsed = v == null ? null : parse.apply(v);
            if (parsed == null) {
                throw new IllegalArgumentException("missing");
            }
            return parsed;
        } catch (RuntimeException e) {
            throw TaskStoreException.unreadable(taskId, name, v, e);
        }
    }

    /**
     * Reads what {@link Instant#toString()} wrote ({@code 2026-11-26T18:20:50.123456Z}) without
     * the general ISO parser, which profiling showed to cost more than the Redis round trip; any
     * other shape falls back to {@link Instant#parse}.
     */
    static Instant instant(String s) {
        if (s == null) {
            return null;
        }
        int n = s.length();
        if (n < 20 || s.charAt(4) != '-' || s.charAt(7) != '-' || s.charAt(10) != 'T' || s.charAt(13) != ':'
                || s.charAt(16) != ':' || s.charAt(n - 1) != 'Z' || (n > 20 && s.charAt(19) != '.')) {
            return Instant.parse(s);
        }
        try {
            long days = LocalDate.of(digits(s, 0, 4), digits(s, 5, 7), digits(s, 8, 10)).toEpochDay();
            long seconds = days * 86_400 + digits(s, 11, 13) * 3600L + digits(s, 14, 16) * 60L + digits(s, 17, 19);
            int nanos = 0;
            if (n > 20) {
                int fractionDigits = n - 21;
                if (fractionDigits < 1 || fractionDigits > 9) {
                    return Instant.parse(s);
                }
                nanos = digits(s, 20, n - 1);
                for (int i = fractionDigits; i < 9; i++) {
                    nanos *= 10;
                }
            }
            return Instant.ofEpochSecond(seconds, nanos);
        } catch (RuntimeException e) {
            return Instant.parse(s);
        }
    }

    private static int digits(String s, int from, int to) {
        int v = 0;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                throw new NumberFormatException(s);
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }
}
