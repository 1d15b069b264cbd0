package dev.longtasks.store;

import dev.longtasks.task.Progress;
import dev.longtasks.task.Task;
import dev.longtasks.task.TaskError;
import dev.longtasks.task.TaskStatus;
import dev.longtasks.task.TaskStoreException;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The DynamoDB item layout of DESIGN §3, in both directions.
 *
 * <p>The open-task index is the sparse GSI {@value #OPEN_INDEX}: {@code open_shard} (hash) and
 * {@code due_at} (range) are present exactly while the task is in it. The hash key is one of
 * {@value #SHARDS} shards picked from the task id, so thousands of submits per second never meet
 * on one index partition. {@code dispatches} is written once above 0 and {@code completion_sent}
 * (false) only while an ended task's event is owed, so an item written before these existed
 * reads as not indexed with nothing owed.
 *
 * <p>The listing index is the GSI {@value #RECENT_INDEX} ({@link DynamoDbRecentIndex}): every task
 * item carries {@code recent_bucket} (hash: the hour of {@code created_at} and one of
 * {@value #RECENT_SHARDS} shards) and {@code recent_at} (range: its {@link ListingPositions listing
 * position}), both written once with the item and never changed.
 */
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
    static final String DUE_AT = "due_at";
    static final String OPEN_SHARD = "open_shard";
    static final String DISPATCHES = "dispatches";
    static final String COMPLETION_SENT = "completion_sent";
    static final String OPEN_INDEX = "open-due";
    static final int SHARDS = 16;
    static final String RECENT_BUCKET = "recent_bucket";
    static final String RECENT_AT = "recent_at";
    static final String RECENT_INDEX = "recent";
    static final int RECENT_SHARDS = 8;
    static final long RECENT_BUCKET_SECONDS = 3600;

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

    /** The index shard of a task: stable for its id (String.hashCode is specified), spread over {@value #SHARDS}. */
    static AttributeValue shard(String taskId) {
        return s(shardName(Math.floorMod(taskId.hashCode(), SHARDS)));
    }

    static String shardName(int n) {
        return "open#" + n;
    }

    /** The creation hour of {@code createdAt}, the time part of a {@value #RECENT_INDEX} partition key. */
    static long recentHour(Instant createdAt) {
        return Math.floorDiv(createdAt.getEpochSecond(), RECENT_BUCKET_SECONDS);
    }

    static String recentBucket(long hour, int shard) {
        return hour + "#" + shard;
    }

    /** Spreads one hour's creates over {@value #RECENT_SHARDS} index partitions, stable for the id. */
    static String recentBucket(Instant createdAt, String taskId) {
        return recentBucket(recentHour(createdAt), Math.floorMod(taskId.hashCode(), RECENT_SHARDS));
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
        item.put(RECENT_BUCKET, s(recentBucket(t.createdAt(), t.taskId())));
        item.put(RECENT_AT, s(ListingPositions.of(t.createdAt(), t.taskId())));
        if (t.isIndexed()) {
            item.put(DUE_AT, n(t.dueAt()));
            item.put(OPEN_SHARD, shard(t.taskId()));
        }
        if (t.dispatches() > 0) {
            item.put(DISPATCHES, n(t.dispatches()));
        }
        if (t.status().isTerminal() && !t.completionSent()) {
            item.put(COMPLETION_SENT, AttributeValue.fromBool(false));
        }
        return item;
    }

    /**
     * Empty for items that are not tasks (idempotency and lease items share the table). A task item
     * that cannot be read is a non-retryable {@link TaskStoreException} naming the task and field.
     */
    static Optional<Task> fromItem(Map<String, AttributeValue> item) {
        if (item == null || item.isEmpty() || !item.containsKey(STATUS) || !item.containsKey(TYPE)) {
            return Optional.empty();
        }
        String id = str(item, ID);
        TaskStatus status = read(id, item, STATUS, () -> TaskStatus.valueOf(str(item, STATUS)));
        return Optional.of(new Task(id, read(id, item, TYPE, () -> Objects.requireNonNull(str(item, TYPE))), status,
                str(item, INPUT), str(item, RESULT), errorOf(item.get(ERROR)),
                read(id, item, PROGRESS, () -> progressOf(item.get(PROGRESS))),
                read(id, item, ATTEMPT, () -> (int) num(item, ATTEMPT)),
                read(id, item, LEASE_UNTIL, () -> num(item, LEASE_UNTIL)),
                item.containsKey(CANCEL_REQUESTED) && Boolean.TRUE.equals(item.get(CANCEL_REQUESTED).bool()),
                read(id, item, CREATED_AT, () -> Instant.parse(str(item, CREATED_AT))),
                read(id, item, UPDATED_AT, () -> Instant.parse(str(item, UPDATED_AT))),
                read(id, item, STARTED_AT, () -> instant(item, STARTED_AT)),
                read(id, item, FINISHED_AT, () -> instant(item, FINISHED_AT)),
                read(id, item, TTL, () -> num(item, TTL)),
                read(id, item, DUE_AT, () -> num(item, DUE_AT)),
                read(id, item, DISPATCHES, () -> (int) num(item, DISPATCHES)),
                status.isTerminal() && !Boolean.FALSE.equals(bool(item, COMPLETION_SENT))));
    }

    /** One attribute, parsed; a failure names the task and the attribute. */
    private static <T> T read(String id, Map<String, AttributeValue> item, String field, Supplier<T> parse) {
        try {
            return parse.get();
        } catch (RuntimeException e) {
            AttributeValue v = item.get(field);
            throw TaskStoreException.unreadable(id, field, v == null ? null : v.s() != null ? v.s() : v.n(), e);
        }
    }

    private static Boolean bool(Map<String, AttributeValue> item, String name) {
        AttributeValue v = item.get(name);
        return v == null ? null : v.bool();
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
