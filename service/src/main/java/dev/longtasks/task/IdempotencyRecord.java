package dev.longtasks.task;

/**
 * An {@code Idempotency-Key} bound to the task it created. {@code fingerprint} is a hash of the
 * request (type + data), so the same key with a different body can be told apart and refused.
 */
public record IdempotencyRecord(String key, String fingerprint, String taskId) {
}
