package dev.longtasks.task;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where task records live. Every implementation keeps the rules of DESIGN §3:
 * <ul>
 *   <li>every transition is one atomic conditional write (never read-then-write);</li>
 *   <li>progress and finish writes are fenced by {@code status = RUNNING AND attempt = mine};</li>
 *   <li>every write refreshes the TTL and every read treats an expired record as gone. While a
 *       task is PENDING or RUNNING its TTL is the store's open horizon (queue wait + lease +
 *       reconcile interval) beyond the configured TTL, so it cannot expire before it ends; once it
 *       has ended the TTL runs from its last write;</li>
 *   <li>an index of open tasks ({@link Task#isIndexed()}) by due time, maintained by the same
 *       atomic writes, so the reconciler never scans.</li>
 * </ul>
 * Infrastructure failures surface as {@link TaskStoreException} (with {@link
 * TaskStoreException#retryable()}); a refused condition is an empty {@link Optional} (or a
 * {@link CancelResult}, or {@code false}), never an exception.
 */
public interface TaskStore extends AutoCloseable {

    /** Stores a new task as given. Throws {@link TaskAlreadyExistsException} if the id is taken. */
    void create(Task task);

    /**
     * Stores many new tasks; implementations batch the writes where the backend allows. When it
     * throws, any of them may or may not have been stored.
     */
    default void createAll(List<Task> tasks) {
        tasks.forEach(this::create);
    }

    /** The task, or empty when it is unknown or its TTL has passed. Strongly consistent. */
    Optional<Task> get(String taskId);

    /** Reads many tasks at once; unknown and expired ids are absent from the map. */
    Map<String, Task> getAll(Collection<String> taskIds);

    /**
     * {@code PENDING -> RUNNING}, or re-claims a RUNNING task whose lease has passed. Increments
     * {@code attempt} (the fencing token), sets {@code lease_until = now + leaseMillis} and makes
     * the task due at that time. Empty when the task is unknown, ended, or held under a live lease.
     */
    Optional<Task> claim(String taskId, long leaseMillis);

    /**
     * Records progress and extends the lease, only while {@code status = RUNNING AND attempt = attempt}.
     * A null progress only renews the lease (a heartbeat). The due time does not move (in DynamoDB
     * that would be an index write per heartbeat). Empty when the write was fenced off.
     */
    Optional<Task> progress(String taskId, int attempt, Progress progress, long leaseMillis);

    /**
     * Ends the task, only while {@code status = RUNNING AND attempt = attempt}. The ended task stays
     * in the index, due at once, until {@link #markCompletionSent}. Empty when fenced.
     */
    Optional<Task> finish(String taskId, int attempt, TaskStatus status, String resultJson, TaskError error);

    /** {@code PENDING -> FAILED} (not published, or waited too long). Empty otherwise. */
    Optional<Task> failPending(String taskId, TaskError error);

    /**
     * {@code RUNNING -> FAILED}, only while {@code attempt = attempt} and its lease has passed: the
     * reconciler ends a task whose last allowed attempt died. Empty otherwise.
     */
    Optional<Task> failStale(String taskId, int attempt, TaskError error);

    /**
     * PENDING becomes CANCELLED at once (the client asked, so no completion event is owed);
     * RUNNING gets {@code cancel_requested}.
     */
    CancelResult cancel(String taskId);

    /**
     * Records that the end's event was published: the task leaves the index. False when it is not
     * an ended task whose event was still owed. Leaves {@code updated_at} and the TTL alone.
     */
    boolean markCompletionSent(String taskId);

    /**
     * Ids of indexed tasks due at or before {@code dueBy}, earliest first where the backend can
     * tell, at most {@code limit}. The index may lag (DynamoDB's GSI is eventually consistent):
     * callers read each task before they act.
     */
    List<String> dueTasks(Instant dueBy, int limit);

    /**
     * Moves the reconciler's next look at the task to {@code dueAt}, only while its status and
     * attempt are still those of {@code seen} and it is in the index; {@code dispatched} counts one
     * more publish of its event. Leaves {@code updated_at} and the TTL alone. False when refused.
     */
    boolean reschedule(Task seen, long dueAt, boolean dispatched);

    /**
     * Drops an id whose record is gone or expired from the index, so the index stops offering it
     * (DynamoDB and Redis delete expired records lazily). Leaves a live task alone.
     */
    void dropFromIndex(String taskId);

    /**
     * A leader lease for one of several processes (the self-hosted reconciler): true when
     * {@code holder} holds {@code name} for {@code ttl} from now, renewing it if it already did.
     */
    boolean tryLead(String name, String holder, Duration ttl);

    /**
     * Binds an idempotency key to a task unless it is already bound. Returns the existing binding
     * when there is one (and then binds nothing), or empty when this call made the binding.
     */
    Optional<IdempotencyRecord> bindIdempotencyKey(IdempotencyRecord record);

    /**
     * Moves a binding from the task {@code fromTaskId} to {@code next} (compare-and-set). False
     * when the key is no longer bound to {@code fromTaskId}.
     */
    boolean replaceIdempotencyBinding(String fromTaskId, IdempotencyRecord next);

    /** Removes the binding of {@code key}, only while it still names {@code taskId}. */
    void releaseIdempotencyKey(String key, String taskId);

    @Override
    default void close() {
    }
}
