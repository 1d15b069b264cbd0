package dev.longtasks.task;

/**
 * The store could not be reached or refused the call. A {@link #retryable()} failure (throttling,
 * network, timeout, a missing table) is rethrown so that retries (Lambda's, the broker's) can act.
 * A non-retryable one (DynamoDB's ValidationException such as an item over 400 KB, a Redis script
 * or type error, a record that cannot be read) would fail the same way on every retry, so it must
 * never send an event around again.
 */
public class TaskStoreException extends RuntimeException {
    private final boolean retryable;

    public TaskStoreException(String message, Throwable cause) {
        this(message, cause, true);
    }

    public TaskStoreException(String message) {
        this(message, null, true);
    }

    public TaskStoreException(String message, Throwable cause, boolean retryable) {
        super(message, cause);
        this.retryable = retryable;
    }

    /** A record the store holds but cannot read: one line naming the task and the field. */
    public static TaskStoreException unreadable(String taskId, String field, String value, Throwable cause) {
        String shown = value == null ? "nothing" : "'" + (value.length() > 40 ? value.substring(0, 40) + "..." : value) + "'";
        return new TaskStoreException("task " + taskId + " cannot be read: field " + field + " holds " + shown, cause, false);
    }

    /** False when the same call would fail again however often it is retried. */
    public boolean retryable() {
        return retryable;
    }
}
