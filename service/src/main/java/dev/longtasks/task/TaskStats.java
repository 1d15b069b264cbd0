package dev.longtasks.task;

import java.time.Instant;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * What {@link TaskListing#stats} counted: per task type, per status, the unexpired tasks created
 * at or after {@code since}; and the oldest task still PENDING (null when none is), whatever its age.
 * Every status appears in every count, zeros included, so readers need no defaults.
 */
public record TaskStats(Instant since, Map<String, Map<TaskStatus, Long>> countsByType, OldestPending oldestPending) {

    /** The PENDING task that has waited longest. */
    public record OldestPending(String taskId, String taskType, Instant createdAt) {
        public static OldestPending of(Task task) {
            return new OldestPending(task.taskId(), task.taskType(), task.createdAt());
        }
    }

    public TaskStats {
        Objects.requireNonNull(since, "since");
        Map<String, Map<TaskStatus, Long>> copy = new TreeMap<>();
        countsByType.forEach((type, counts) -> copy.put(type, complete(counts)));
        countsByType = Collections.unmodifiableMap(copy);
    }

    /** Counts by status over all types. */
    public Map<TaskStatus, Long> byStatus() {
        Map<TaskStatus, Long> sum = new EnumMap<>(TaskStatus.class);
        countsByType.values().forEach(c -> c.forEach((s, n) -> sum.merge(s, n, Long::sum)));
        return complete(sum);
    }

    /** The number of tasks of each type. */
    public Map<String, Long> byType() {
        Map<String, Long> out = new TreeMap<>();
        countsByType.forEach((type, c) -> out.put(type, c.values().stream().mapToLong(Long::longValue).sum()));
        return Collections.unmodifiableMap(out);
    }

    public long total() {
        return byType().values().stream().mapToLong(Long::longValue).sum();
    }

    private static Map<TaskStatus, Long> complete(Map<TaskStatus, Long> counts) {
        Map<TaskStatus, Long> all = new EnumMap<>(TaskStatus.class);
        for (TaskStatus s : TaskStatus.values()) {
            all.put(s, counts.getOrDefault(s, 0L));
        }
        return Collections.unmodifiableMap(all);
    }

    /** Collects counts one task at a time, for the implementations that walk an index. */
    public static final class Counter {
        private final Map<String, Map<TaskStatus, Long>> counts = new TreeMap<>();

        public void add(Task task) {
            add(task.taskType(), task.status());
        }

        /** For indexes that hold a task's type and status without the whole record. */
        public void add(String taskType, TaskStatus status) {
            counts.computeIfAbsent(taskType, t -> new EnumMap<>(TaskStatus.class)).merge(status, 1L, Long::sum);
        }

        public TaskStats build(Instant since, OldestPending oldestPending) {
            return new TaskStats(since, counts, oldestPending);
        }
    }
}
