package dev.longtasks.task;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where task records live. Every implementation keeps the rules of DESIGN §3:
 * <ul>
 *   <li>every transition is one atomic conditional write (never read-then-write);</li>
 *   <li>progress and finish writes are fenced by {@code status = RUNNING AND attempt = mine};</li>
 *   <li>every write refreshes the TTL and every read treats an expired record as gone.</li>
 * </ul>
 * Infrastructure failures surface as {@link TaskStoreException}; a refused condition is an
 * empty {@link Optional} (or a {@link CancelResult}), never an exception.
 */
public interface TaskStore extends AutoCloseable {

    /** Stores a new PENDING task. Throws {@link TaskAlreadyExistsException} if the id is taken. */
    void create(Task task);

    /** Stores many new tasks; implementations batch the writes where the backend allows. */
    default void createAll(List<Task> tasks) {
        tasks.forEach(this::create);
    }

    /** The task, or empty when it is unknown or its TTL has passed. Strongly consistent. */
    Optional<Task> get(String taskId);

    /** Reads many tasks at once; unknown and expired ids are absent from the map. */
    Map<String, Task> getAll(Collection<String> taskIds);

    /**
     * {@code PENDING -> RUNNING}, or re-claims a RUNNING task whose lease has passed. Increments
     * {@code attempt} (the fencing token) and sets {@code lease_until = now + leaseMillis}.
     * Empty when the task is unknown, terminal, or held under a live lease.
     */
    Optional<Task> claim(String taskId, long leaseMillis);

    /**
     * Records progress and extends the lease, only while {@code status = RUNNING AND attempt = attempt}.
     * A null progress only renews the lease (a heartbeat). Empty when the write was fenced off.
     */
    Optional<Task> progress(String taskId, int attempt, Progress progress, long leaseMillis);

    /** Ends the task, only while {@code status = RUNNING AND attempt = attempt}. Empty when fenced. */
    Optional<Task> finish(String taskId, int attempt, TaskStatus status, String resultJson, TaskError error);

    /** {@code PENDING -> FAILED}, used when the event could not be published. Empty otherwise. */
    Optional<Task> failPending(String taskId, TaskError error);

    /** PENDING becomes CANCELLED at once; RUNNING gets {@code cancel_requested}. */
    CancelResult cancel(String taskId);

    /**
     * Binds an idempotency key to a task unless it is already bound. Returns the existing binding
     * when there is one (and then binds nothing), or empty when this call made the binding.
     */
    Optional<IdempotencyRecord> bindIdempotencyKey(IdempotencyRecord record);

    /** Removes a binding made by a submit that then failed to store its task. */
    void releaseIdempotencyKey(String key);

    @Override
    default void close() {
    }
}
