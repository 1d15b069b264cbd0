package dev.longtasks.task;

/**
 * An {@code Idempotency-Key} bound to the task it created. {@code fingerprint} is a hash of the
 * request (type + data), so the same key with a different body can be told apart and refused.
 * {@code boundAtMillis} (epoch ms) tells a binding whose task is still being stored by a
 * concurrent submit from one whose task was never stored.
 */
public record IdempotencyRecord(String key, String fingerprint, String taskId, long boundAtMillis) {

    /** A binding without a time; it reads as old, never as in flight. */
    public IdempotencyRecord(String key, String fingerprint, String taskId) {
        this(key, fingerprint, taskId, 0L);
    }
}
