package dev.longtasks.task;

import java.util.List;

/** The task was stored but its event could not be published; the task is now FAILED/EnqueueFailed. */
public class EnqueueFailedException extends RuntimeException {
    private final List<String> taskIds;

    public EnqueueFailedException(List<String> taskIds, Throwable cause) {
        super("the task event could not be published", cause);
        this.taskIds = List.copyOf(taskIds);
    }

    public List<String> taskIds() {
        return taskIds;
    }
}
