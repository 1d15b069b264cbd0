package dev.longtasks.task;

/** Thrown by {@link TaskContext#checkCancelled()} so a handler stops at a safe point. */
public class TaskCancelledException extends RuntimeException {
    public TaskCancelledException(String taskId) {
        super("task " + taskId + " was cancelled");
    }
}
