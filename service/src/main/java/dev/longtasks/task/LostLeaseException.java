package dev.longtasks.task;

/**
 * A fenced write was refused: the task is no longer RUNNING under this attempt (another worker
 * re-claimed it after the lease passed, or it was finished). The current attempt must stop.
 */
public class LostLeaseException extends RuntimeException {
    public LostLeaseException(String taskId, int attempt) {
        super("task " + taskId + " is no longer held by attempt " + attempt);
    }
}
