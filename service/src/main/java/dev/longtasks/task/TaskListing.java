package dev.longtasks.task;

import java.time.Instant;

/**
 * Reads across tasks, for operators: pages of a filtered listing and counts. A port of its own,
 * beside {@link TaskStore}, so that the store's contract stays about one task at a time; a store
 * that supports listing implements both.
 *
 * <p>Every implementation keeps these rules (the shared contract test holds them):
 * <ul>
 *   <li>tasks come newest first by {@code created_at}, ties by {@code task_id} descending
 *       ({@link TaskCursor#NEWEST_FIRST}); both are immutable, so a task never moves in that order;</li>
 *   <li>an expired task ({@code ttl < now}) is never listed or counted, whether or not it is deleted yet;</li>
 *   <li>no table scans: an index ordered by creation time answers, walked from the cursor.</li>
 * </ul>
 */
public interface TaskListing {

    /**
     * The tasks that match {@code query} and follow its cursor, at most {@link TaskQuery#limit()}.
     * {@link TaskPage#next()} is non-null exactly when, at the time of the call, a further
     * matching task existed. Because the order is by creation, a task that changes status
     * between two pages is neither repeated nor skipped (it is seen in the state it had when its
     * page was read, or not at all if it no longer matches), and a task created after the first
     * page sorts before the cursor and is not in later pages.
     */
    TaskPage list(TaskQuery query);

    /**
     * Counts by task type and status of the unexpired tasks created at or after {@code since},
     * and the oldest task still PENDING whatever {@code since} says: a stuck task is exactly what
     * an operator must see, however old it is.
     */
    TaskStats stats(Instant since);
}
