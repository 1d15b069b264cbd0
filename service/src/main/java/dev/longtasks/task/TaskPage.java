package dev.longtasks.task;

import java.util.List;

/**
 * One page of a listing, newest first. {@code next} is where the following page starts, or null
 * when no further task matched.
 */
public record TaskPage(List<Task> tasks, TaskCursor next) {
    public TaskPage {
        tasks = List.copyOf(tasks);
    }

    public boolean hasMore() {
        return next != null;
    }
}
