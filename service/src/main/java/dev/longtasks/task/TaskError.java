package dev.longtasks.task;

/** Why a task failed: a stable {@code type} for scripts and a message for people. */
public record TaskError(String type, String message) {
    public static final String ENQUEUE_FAILED = "EnqueueFailed";
    public static final String TIMED_OUT = "TimedOut";
    public static final String MAX_ATTEMPTS_EXCEEDED = "MaxAttemptsExceeded";
    public static final String QUEUE_TIMEOUT = "QueueTimeout";
    public static final String RESULT_TOO_LARGE = "ResultTooLarge";
    public static final String STORE_REJECTED = "StoreRejected";
    public static final String UNKNOWN_TASK_TYPE = "UnknownTaskType";
    public static final String SHUTDOWN = "Shutdown";
}
