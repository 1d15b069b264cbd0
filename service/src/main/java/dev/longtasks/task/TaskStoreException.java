package dev.longtasks.task;

/**
 * The store could not be reached or refused the call for an infrastructure reason (throttling,
 * network, timeout). Callers rethrow it so that retries (Lambda's, the broker's) can act.
 */
public class TaskStoreException extends RuntimeException {
    public TaskStoreException(String message, Throwable cause) {
        super(message, cause);
    }

    public TaskStoreException(String message) {
        super(message);
    }
}
