package dev.longtasks.task;

import java.time.Instant;
import java.util.Comparator;
import java.util.Objects;

/**
 * A position in a listing: the {@code (created_at, task_id)} of a task. Positions sort newest
 * first, ties by task id descending ({@link #NEWEST_FIRST}, also the natural order), so a page
 * that ends at a position is continued by the tasks that sort after it.
 */
public record TaskCursor(Instant createdAt, String taskId) implements Comparable<TaskCursor> {
    public static final Comparator<TaskCursor> NEWEST_FIRST =
            Comparator.comparing(TaskCursor::createdAt).thenComparing(TaskCursor::taskId).reversed();

    public TaskCursor {
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(taskId, "taskId");
    }

    public static TaskCursor of(Task task) {
        return new TaskCursor(task.createdAt(), task.taskId());
    }

    @Override
    public int compareTo(TaskCursor other) {
        return NEWEST_FIRST.compare(this, other);
    }

    /** True when {@code task} sorts after this position, so it belongs to the page that continues here. */
    public boolean isFollowedBy(Task task) {
        return compareTo(of(task)) < 0;
    }
}
