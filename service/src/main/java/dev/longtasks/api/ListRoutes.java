package dev.longtasks.api;

import dev.longtasks.json.Json;
import dev.longtasks.task.TaskCursor;
import dev.longtasks.task.TaskListing;
import dev.longtasks.task.TaskPage;
import dev.longtasks.task.TaskQuery;
import dev.longtasks.task.TaskStatus;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;

/**
 * The routes across tasks: {@code GET /v1/tasks} (a filtered page, newest first) and
 * {@code GET /v1/tasks/stats}. They read a {@link TaskListing}, over a window as long as the
 * tasks' TTL; a store without one in this build answers 501.
 */
final class ListRoutes {
    private final TaskListing listing;
    private final String storeName;
    private final Duration window;
    private final Clock clock;

    /** {@code listing} null: this store cannot list (yet); the routes say so. */
    ListRoutes(TaskListing listing, String storeName, Duration window, Clock clock) {
        this.listing = listing;
        this.storeName = storeName;
        this.window = window;
        this.clock = clock;
    }

    HttpResponse list(HttpRequest request, Map<String, String> params) {
        return json(page(request));
    }

    /** The page {@code GET /v1/tasks} answers with; throws the 400 or 501 problem. */
    TaskListView page(HttpRequest request) {
        TaskListing l = available();
        ListParameters p = new ListParameters(request, ListParameters.LIST);
        Set<TaskStatus> statuses = p.statuses();
        Set<String> types = p.types();
        String rawSince = p.since();
        int limit = p.limit();
        String rawCursor = p.cursor();
        Instant now = clock.instant();
        String filters = ListCursor.filters(statuses, types, rawSince);
        Instant since;
        TaskCursor after = null;
        if (rawCursor == null) {
            since = ListParameters.resolveSince(rawSince, now, window);
        } else {
            ListCursor c = ListCursor.decode(rawCursor, filters);
            after = c.position();
            // The first page's since, so a relative one does not move; still never before the window.
            since = c.since().isBefore(now.minus(window)) ? now.minus(window) : c.since();
        }
        TaskPage page = l.list(new TaskQuery(statuses, types, since, limit, after));
        String next = page.next() == null ? null : new ListCursor(page.next(), since, filters).encode();
        return new TaskListView(page.tasks().stream().map(TaskView::of).toList(), next, since.toString());
    }

    HttpResponse stats(HttpRequest request, Map<String, String> params) {
        return json(counts(request));
    }

    /** The counts {@code GET /v1/tasks/stats} answers with; throws the 400 or 501 problem. */
    TaskStatsView counts(HttpRequest request) {
        TaskListing l = available();
        ListParameters p = new ListParameters(request, ListParameters.STATS);
        Instant now = clock.instant();
        Instant since = ListParameters.resolveSince(p.since(), now, window);
        return TaskStatsView.of(l.stats(since), now);
    }

    private TaskListing available() {
        if (listing == null) {
            throw Problem.of(ProblemType.LISTING_NOT_AVAILABLE, "listing is not available on the " + storeName
                    + " store in this build; the task routes work as usual").exception();
        }
        return listing;
    }

    private static HttpResponse json(Object body) {
        return new HttpResponse(200, Map.of("Content-Type", "application/json", "Cache-Control", "no-store"),
                Json.writeBytes(body));
    }
}
