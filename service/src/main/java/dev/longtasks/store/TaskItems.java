package dev.longtasks.store;

import dev.longtasks.task.Progress;
import dev.longtasks.task.Task;
import dev.longtasks.task.TaskError;
import dev.longtasks.task.TaskStatus;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** The DynamoDB item layout of DESIGN §3, in both directions. */
final class TaskItems {
    static final String ID = "task_id";
    static final String TYPE = "task_type";
    static final String STATUS = "status";
    static final String INPUT = "input";
    static final String RESULT = "result";
    static final String ERROR = "error";
    static final String PROGRESS = "progress";
    static final String ATTEMPT = "attempt";
    static final String LEASE_UNTIL = "lease_until";
    static final String CANCEL_REQUESTED = "cancel_requested";
    static final String CREATED_AT = "created_at";
    static final String UPDATED_AT = "updated_at";
    static final String STARTED_AT = "started_at";
    static final String FINISHED_AT = "finished_at";
    static final String TTL = "ttl";

    private TaskItems() {
    }

    static AttributeValue s(String v) {
        return AttributeValue.fromS(v);
    }

    static AttributeValue n(long v) {
        return AttributeValue.fromN(Long.toString(v));
    }

    static AttributeValue key(String taskId) {
        return s(taskId);
    }

    static AttributeValue error(TaskError e) {
        Map<String, AttributeValue> m = new HashMap<>();
        m.put("type", s(e.type()));
        if (e.message() != null) {
            m.put("message", s(e.message()));
        }
        return AttributeValue.fromM(m);
    }

    static AttributeValue progress(Progress p) {
        Map<String, AttributeValue> m = new HashMap<>();
        m.put("percent", n(p.percent()));
        if (p.message() != null) {
            m.put("message", s(p.message()));
        }
        return AttributeValue.fromM(m);
    }

    static Map<String, AttributeValue> toItem(Task t) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put(ID, s(t.taskId()));
        item.put(TYPE, s(t.taskType()));
        item.put(STATUS, s(t.status().name()));
        if (t.input() != null) {
            item.put(INPUT, s(t.input()));
        }
        if (t.result() != null) {
            item.put(RESULT, s(t.result()));
        }
        if (t.error() != null) {
            item.put(ERROR, error(t.error()));
        }
        if (t.progress() != null) {
            item.put(PROGRESS, progress(t.progress()));
        }
        item.put(ATTEMPT, n(t.attempt()));
        item.put(LEASE_UNTIL, n(t.leaseUntil()));
        item.put(CANCEL_REQUESTED, AttributeValue.fromBool(t.cancelRequested()));
        item.put(CREATED_AT, s(t.createdAt().toString()));
        item.put(UPDATED_AT, s(t.updatedAt().toString()));
        if (t.startedAt() != null) {
            item.put(STARTED_AT, s(t.startedAt().toString()));
        }
        if (t.finishedAt() != null) {
            item.put(FINISHED_AT, s(t.finishedAt().toString()));
        }
        item.put(TTL, n(t.ttl()));
        return item;
    }

    /** Empty for items that are not tasks (idempotency records share the table). */
    static Optional<Task> fromItem(Map<String, AttributeValue> item) {
        if (item == null || item.isEmpty() || !item.containsKey(STATUS) || !item.containsKey(TYPE)) {
            return Optional.empty();
        }
        return Optional.of(new Task(
                str(item, ID),
                str(item, TYPE),
                TaskStatus.valueOf(str(item, STATUS)),
                str(item, INPUT),
                str(item, RESULT),
                errorOf(item.get(ERROR)),
                progressOf(item.get(PROGRESS)),
                (int) num(item, ATTEMPT),
                num(item, LEASE_UNTIL),
                item.containsKey(CANCEL_REQUESTED) && Boolean.TRUE.equals(item.get(CANCEL_REQUESTED).bool()),
                instant(item, CREATED_AT),
                instant(item, UPDATED_AT),
                instant(item, STARTED_AT),
                instant(item, FINISHED_AT),
                num(item, TTL)));
    }

    static String str(Map<String, AttributeValue> item, String name) {
        AttributeValue v = item.get(name);
        return v == null ? null : v.s();
    }

    static long num(Map<String, AttributeValue> item, String name) {
        AttributeValue v = item.get(name);
        return v == null || v.n() == null ? 0L : Long.parseLong(v.n());
    }

    private static Instant instant(Map<String, AttributeValue> item, String name) {
        String v = str(item, name);
        return v == null ? null : Instant.parse(v);
    }

    private static TaskError errorOf(AttributeValue v) {
        if (v == null || !v.hasM()) {
            return null;
        }
        return new TaskError(str(v.m(), "type"), str(v.m(), "message"));
    }

    private static Progress progressOf(AttributeValue v) {
        if (v == null || !v.hasM()) {
            return null;
        }
        return new Progress((int) num(v.m(), "percent"), str(v.m(), "message"));
    }
}
