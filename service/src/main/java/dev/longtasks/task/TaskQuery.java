package dev.longtasks.task;

import java.time.Instant;
import java.util.Collection;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * What a {@link TaskListing} page asks for. Empty {@code statuses} or {@code types} mean all;
 * {@code since} is inclusive on {@code created_at}; {@code after} (nullable) is the position the
 * previous page ended at.
 */
public record TaskQuery(Set<TaskStatus> statuses, Set<String> types, Instant since, int limit, TaskCursor after) {
    public static final int DEFAULT_LIMIT = 50;
    public static final int MAX_LIMIT = 500;

    public TaskQuery {
        statuses = statuses == null || statuses.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(statuses));
        types = types == null ? Set.of() : Set.copyOf(types);
        Objects.requireNonNull(since, "since");
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("limit must be 1.." + MAX_LIMIT + ", was " + limit);
        }
    }

    /** Every task created at or after {@code since}, the first page of {@link #DEFAULT_LIMIT}. */
    public static TaskQuery since(Instant since) {
        return new TaskQuery(Set.of(), Set.of(), since, DEFAULT_LIMIT, null);
    }

    public TaskQuery withStatuses(Collection<TaskStatus> s) {
        return new TaskQuery(s == null ? Set.of() : Set.copyOf(s), types, since, limit, after);
    }

    public TaskQuery withTypes(Collection<String> t) {
        return new TaskQuery(statuses, t == null ? Set.of() : Set.copyOf(t), since, limit, after);
    }

    public TaskQuery withLimit(int n) {
        return new TaskQuery(statuses, types, since, n, after);
    }

    /** The next page: the same filters, continuing after {@code cursor}. */
    public TaskQuery after(TaskCursor cursor) {
        return new TaskQuery(statuses, types, since, limit, cursor);
    }

    /** The filters alone: status, type and creation time (not the cursor, not expiry). */
    public boolean matches(Task task) {
        return (statuses.isEmpty() || statuses.contains(task.status()))
                && (types.isEmpty() || types.contains(task.taskType()))
                && !task.createdAt().isBefore(since);
    }

    /** Whether {@code task} belongs to this page's range: it matches and follows the cursor. */
    public boolean admits(Task task) {
        return matches(task) && (after == null || after.isFollowedBy(task));
    }
}
