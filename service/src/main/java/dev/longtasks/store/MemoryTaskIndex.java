package dev.longtasks.store;

import dev.longtasks.task.Task;
import dev.longtasks.task.TaskCursor;
import dev.longtasks.task.TaskListing;
import dev.longtasks.task.TaskPage;
import dev.longtasks.task.TaskQuery;
import dev.longtasks.task.TaskStats;
import dev.longtasks.task.TaskStatus;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.NavigableSet;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.function.Function;

/**
 * The listing of {@link MemoryTaskStore}: the positions {@code (created_at, task_id)} of its
 * tasks in a sorted set, newest first. The store adds a position on create and drops it on
 * eviction and when it sweeps expired records; a page walks the set from its cursor and reads
 * each task's current state from the store's map, so a status change needs no index write.
 *
 * <p>A position can outlive its record between sweeps (an eviction racing a read, an expired id
 * created again): every read checks that the record is still there, unexpired and created at
 * that instant, and drops the position otherwise.
 */
final class MemoryTaskIndex implements TaskListing {
    private final ConcurrentSkipListSet<TaskCursor> byCreation = new ConcurrentSkipListSet<>();
    /**
     * Positions of tasks created PENDING, oldest last. Nothing ever returns to PENDING, so a
     * position whose task has left it is dropped for good the first time a read passes it: the
     * oldest PENDING task costs amortised O(1), with no hook on status changes.
     */
    private final ConcurrentSkipListSet<TaskCursor> pending = new ConcurrentSkipListSet<>();
    private final Function<String, Task> records;
    private final Clock clock;

    MemoryTaskIndex(Function<String, Task> records, Clock clock) {
        this.records = records;
        this.clock = clock;
    }

    void added(Task task) {
        TaskCursor at = TaskCursor.of(task);
        byCreation.add(at);
        if (task.status() == TaskStatus.PENDING) {
            pending.add(at);
        }
    }

    void removed(Task task) {
        TaskCursor at = TaskCursor.of(task);
        byCreation.remove(at);
        pending.remove(at);
    }

    /** Drops every position whose record is gone, expired or replaced; runs with the store's sweep. */
    void prune() {
        Instant now = clock.instant();
        byCreation.removeIf(at -> live(at, now) == null);
        pending.removeIf(at -> {
            Task t = live(at, now);
            return t == null || t.status() != TaskStatus.PENDING;
        });
    }

    int size() {
        return byCreation.size();
    }

    @Override
    public TaskPage list(TaskQuery query) {
        Instant now = clock.instant();
        NavigableSet<TaskCursor> from = query.after() == null ? byCreation : byCreation.tailSet(query.after(), false);
        List<Task> page = new ArrayList<>(Math.min(query.limit(), 64));
        for (TaskCursor at : from) {
            if (at.createdAt().isBefore(query.since())) {
                break; // everything further is older still
            }
            Task t = live(at, now);
            if (t == null) {
                byCreation.remove(at);
            } else if (query.matches(t)) {
                if (page.size() == query.limit()) {
                    return new TaskPage(page, TaskCursor.of(page.getLast()));
                }
                page.add(t);
            }
        }
        return new TaskPage(page, null);
    }

    @Override
    public TaskStats stats(Instant since) {
        Instant now = clock.instant();
        TaskStats.Counter counter = new TaskStats.Counter();
        for (TaskCursor at : byCreation) {
            if (at.createdAt().isBefore(since)) {
                break;
            }
            Task t = live(at, now);
            if (t != null) {
                counter.add(t);
            }
        }
        return counter.build(since, oldestPending(now));
    }

    private TaskStats.OldestPending oldestPending(Instant now) {
        for (TaskCursor at : pending.descendingSet()) {
            Task t = live(at, now);
            if (t != null && t.status() == TaskStatus.PENDING) {
                return TaskStats.OldestPending.of(t);
            }
            pending.remove(at);
        }
        return null;
    }

    /** The record at this position if it is still stored, unexpired and the same task. */
    private Task live(TaskCursor at, Instant now) {
        Task t = records.apply(at.taskId());
        return t != null && t.createdAt().equals(at.createdAt()) && !t.isExpired(now) ? t : null;
    }
}
