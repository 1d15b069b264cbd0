package dev.longtasks.task;

import java.util.List;

/**
 * The bus refused the task's event (back-pressure) and the task was then marked FAILED
 * ({@code EnqueueFailed}) by a conditional write: it is certain never to run, so the client may
 * submit it again.
 */
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
