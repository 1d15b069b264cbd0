package dev.longtasks.cli.backend;

import com.fasterxml.jackson.databind.JsonNode;
import dev.longtasks.api.TaskListView;
import dev.longtasks.api.TaskStatsView;
import dev.longtasks.api.TaskView;
import dev.longtasks.task.CancelResult;
import dev.longtasks.task.SubmitOutcome;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The operations the task commands need, over either the HTTP API ({@code local}, {@code --api-url})
 * or a stage's AWS resources directly (the same {@code TaskService} code path as the API).
 */
public interface TaskBackend extends AutoCloseable {

    /** Where the calls go, for messages ("http://localhost:4000", "stage staging"). */
    String describe();

    /** Creates one task; returns its id. */
    String submit(String type, JsonNode data);

    /**
     * Creates many tasks with batched writes where the backend can: one outcome per item, in input
     * order. Throws, as {@link #submit} does, when not one of them was stored.
     */
    List<SubmitOutcome> submitAll(String type, List<JsonNode> data);

    /** The task, or empty when unknown or expired. A consistent read. */
    Optional<TaskView> get(String taskId);

    /** Many tasks in one round (one batch read per poll); unknown and expired ids are absent. */
    Map<String, TaskView> getAll(List<String> taskIds);

    /** Cancels: PENDING ends at once, RUNNING gets cancel_requested. */
    CancelResult cancel(String taskId);

    /**
     * A page of the listing, newest first, as {@code GET /v1/tasks} answers it. A parameter the
     * API refuses is a usage error (exit 2); a store without listing, or a refused credential, exit 5.
     */
    TaskListView list(ListQuery query);

    /** Counts by status and type of the tasks created since {@code since} (null: the whole TTL window). */
    TaskStatsView stats(String since);

    @Override
    default void close() {
    }
}
