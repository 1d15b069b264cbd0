package dev.longtasks.api;

import dev.longtasks.task.TaskListing;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The list and stats routes without HTTP, for a caller in the same process ({@code taskctl} on a
 * stage, which reads the store directly): the same query parameters, defaults, window, cursor and
 * refusals as {@code GET /v1/tasks} and {@code GET /v1/tasks/stats}, so both paths answer alike.
 * A refusal is an {@link ApiException} whose problem is the one the route would answer.
 */
public final class TaskLists {
    private final ListRoutes routes;

    /** {@code listing} null: the store cannot list in this build (the 501 problem), {@code storeName} says which. */
    public TaskLists(TaskListing listing, String storeName, Duration window, Clock clock) {
        this.routes = new ListRoutes(listing, storeName, window, clock);
    }

    /** A page, as {@code GET /v1/tasks?<query>} answers it. */
    public TaskListView list(Map<String, List<String>> query) {
        return routes.page(request("/v1/tasks", query));
    }

    /** Counts, as {@code GET /v1/tasks/stats?<query>} answers them. */
    public TaskStatsView stats(Map<String, List<String>> query) {
        return routes.counts(request("/v1/tasks/stats", query));
    }

    private static HttpRequest request(String path, Map<String, List<String>> query) {
        return new HttpRequest("GET", path, Map.of(), query, null, null, null);
    }
}
