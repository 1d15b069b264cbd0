package dev.longtasks.task;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Binds {@code Idempotency-Key}s so that a replay never hands out an id that answers 404.
 *
 * <p>The key is bound before the task is stored (a conditional write), so a binding can name a
 * task that does not exist: a concurrent submit is still storing it, or a submit failed to store
 * it and also failed to release the key. A binding younger than {@link #IN_FLIGHT} whose task is
 * missing is the first case: wait for the task to appear. Older, or naming a task that ended
 * {@code EnqueueFailed}, it is taken over with a compare-and-set from the old task id to the new
 * one; a lost compare-and-set reads again and starts over.
 */
final class IdempotencyKeys {
    private static final Logger log = LoggerFactory.getLogger(IdempotencyKeys.class);
    /** Longer than a submit takes between its bind and its create, even with the store's retries. */
    static final Duration IN_FLIGHT = Duration.ofSeconds(10);
    private static final long POLL_MILLIS = 50;
    private static final int ROUNDS = 5;

    private final TaskStore store;
    private final Clock clock;

    IdempotencyKeys(TaskStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    /**
     * Binds {@code key} to {@code newTaskId}. Empty when this submit owns the key and must now
     * store its task; otherwise the id of the live task to replay.
     */
    Optional<String> bind(String key, String fingerprint, String newTaskId) {
        IdempotencyRecord mine = new IdempotencyRecord(key, fingerprint, newTaskId, clock.millis());
        for (int round = 0; round < ROUNDS; round++) {
            Optional<IdempotencyRecord> existing = store.bindIdempotencyKey(mine);
            if (existing.isEmpty()) {
                return Optional.empty();
            }
            IdempotencyRecord bound = existing.get();
            if (!bound.fingerprint().equals(fingerprint)) {
                throw new IdempotencyConflictException(key);
            }
            Optional<Task> task = store.get(bound.taskId());
            if (task.isEmpty() && age(bound).compareTo(IN_FLIGHT) < 0) {
                task = awaitCreate(bound);
            }
            if (task.isPresent() && !isEnqueueFailed(task.get())) {
                return Optional.of(bound.taskId());
            }
            if (store.replaceIdempotencyBinding(bound.taskId(), mine)) {
                log.info("Idempotency-Key binding moved from task {} ({}) to {}", bound.taskId(),
                        task.isPresent() ? "EnqueueFailed" : "never stored", newTaskId);
                return Optional.empty();
            }
        }
        throw new TaskStoreException("the Idempotency-Key binding kept changing under concurrent submits; retry");
    }

    /** Releases our own binding after our create failed; a failure here is harmless (see above). */
    void releaseQuietly(String key, String taskId) {
        try {
            store.releaseIdempotencyKey(key, taskId);
        } catch (RuntimeException e) {
            log.warn("could not release Idempotency-Key binding of task {}; the next submit with the key takes it over: {}",
                    taskId, e.toString());
        }
    }

    private Duration age(IdempotencyRecord bound) {
        return Duration.ofMillis(Math.max(0, clock.millis() - bound.boundAtMillis()));
    }

    /** Polls for the task of a binding made moments ago, until the in-flight window of the binding ends. */
    private Optional<Task> awaitCreate(IdempotencyRecord bound) {
        long deadline = System.nanoTime() + IN_FLIGHT.minus(age(bound)).toNanos();
        while (System.nanoTime() < deadline && age(bound).compareTo(IN_FLIGHT) < 0) {
            try {
                Thread.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new TaskStoreException("interrupted while waiting for a concurrent submit with the same Idempotency-Key", e);
            }
            Optional<Task> task = store.get(bound.taskId());
            if (task.isPresent()) {
                return task;
            }
        }
        return Optional.empty();
    }

    private static boolean isEnqueueFailed(Task t) {
        return t.status() == TaskStatus.FAILED && t.error() != null && TaskError.ENQUEUE_FAILED.equals(t.error().type());
    }
}
