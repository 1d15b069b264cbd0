package dev.longtasks.task;

/** A create found the id already taken: the conditional put refused to overwrite it. */
public class TaskAlreadyExistsException extends RuntimeException {
    public TaskAlreadyExistsException(String taskId) {
        super("task " + taskId + " already exists");
    }
}
