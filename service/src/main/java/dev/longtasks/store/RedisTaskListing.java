package dev.longtasks.store;

import dev.longtasks.task.Task;
import dev.longtasks.task.TaskCursor;
import dev.longtasks.task.TaskListing;
import dev.longtasks.task.TaskPage;
import dev.longtasks.task.TaskQuery;
import dev.longtasks.task.TaskStats;
import dev.longtasks.task.TaskStatus;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.Response;

/**
 * The listing of {@link RedisTaskStore}. The creation index {@code <prefix>created} is a sorted set
 * whose members all score 0 and are {@link ListingPositions} ({@code created_at} nanos + task id),
 * so a lex range walks it newest first from any cursor (O(log N) to start, then one step per
 * member). Only the create script writes it, in the same atomic step as the record: a status
 * change costs no index write, and a page reads each task's current state from its hash.
 *
 * <p>A walk reads a batch of positions, then the filter fields of each ({@code HMGET}, one
 * pipelined round trip), then whole records only for the tasks that match (one more). A position
 * whose record is gone, expired, or now belongs to a task created again under that id is removed
 * when a walk passes it; the create script trims positions older than any record can live.
 */
final class RedisTaskListing implements TaskListing {
    private static final int STATS_BATCH = 1_000;
    private static final String[] FILTER_FIELDS = {"status", "task_type", "created_at", "ttl"};

    private final RedisTaskStore store;
    private final Clock clock;

    RedisTaskListing(RedisTaskStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    /** The filter fields of a position whose record is live and was created at that position. */
    private record Head(String position, String taskId, TaskStatus status, String taskType, Instant createdAt) {
    }

    @Override
    public TaskPage list(TaskQuery query) {
        Instant now = clock.instant();
        String min = "[" + ListingPositions.instant(query.since());
        String max = query.after() == null ? "+" : "(" + ListingPositions.of(query.after());
        int batch = Math.max(query.limit() + 1, 100);
        List<Head> matching = new ArrayList<>(query.limit() + 1);
        while (matching.size() <= query.limit()) {
            String from = max;
            int size = batch;
            List<String> positions = store.call("list", j -> j.zrevrangeByLex(store.createdKey(), from, min, 0, size));
            for (Head h : heads(positions, now)) {
                if ((query.statuses().isEmpty() || query.statuses().contains(h.status()))
                        && (query.types().isEmpty() || query.types().contains(h.taskType()))) {
                    matching.add(h);
                    if (matching.size() > query.limit()) {
                        break;
                    }
                }
            }
            if (positions.size() < batch) {
                break;
            }
            max = "(" + positions.getLast();
            // A narrow filter matches few tasks per batch: read more at a time, fewer round trips.
            batch = Math.min(batch * 2, STATS_BATCH);
        }
        List<Head> onPage = matching.subList(0, Math.min(matching.size(), query.limit()));
        Map<String, Task> read = store.getAll(onPage.stream().map(Head::taskId).toList());
        List<Task> page = new ArrayList<>(onPage.size());
        for (Head h : onPage) {
            Task t = read.get(h.taskId());
            // Between the two reads a task can change status or expire: it is shown as it is now,
            // or left out when it no longer matches, never moved (its position cannot change).
            if (t != null && t.createdAt().equals(h.createdAt()) && query.matches(t)) {
                page.add(t);
            }
        }
        // The cursor is the last position read for this page, shown or not, so no task is read twice.
        TaskCursor next = matching.size() > query.limit() ? ListingPositions.parse(onPage.getLast().position()) : null;
        return new TaskPage(page, next);
    }

    /**
     * The live heads of {@code positions}, in order, from one pipelined round trip; positions whose
     * record is gone, expired or re-created are removed from the index on the way.
     */
    private List<Head> heads(List<String> positions, Instant now) {
        if (positions.isEmpty()) {
            return List.of();
        }
        List<TaskCursor> at = positions.stream().map(ListingPositions::parse).toList();
        List<List<String>> fields = store.call("list read", j -> {
            try (Pipeline p = j.pipelined()) {
                List<Response<List<String>>> rs = at.stream().map(c -> p.hmget(store.taskKey(c.taskId()), FILTER_FIELDS)).toList();
                p.sync();
                return rs.stream().map(Response::get).toList();
            }
        });
        List<Head> live = new ArrayList<>(positions.size());
        List<String> stale = new ArrayList<>();
        for (int i = 0; i < positions.size(); i++) {
            List<String> f = fields.get(i);
            TaskCursor c = at.get(i);
            Instant created = f.get(2) == null ? null : RedisTaskCodec.instant(f.get(2));
            boolean expired = f.get(3) == null || Long.parseLong(f.get(3)) < now.getEpochSecond();
            if (f.get(0) == null || expired || !c.createdAt().equals(created)) {
                stale.add(positions.get(i));
            } else {
                live.add(new Head(positions.get(i), c.taskId(), TaskStatus.valueOf(f.get(0)), f.get(1), created));
            }
        }
        if (!stale.isEmpty()) {
            store.call("list cleanup", j -> j.zrem(store.createdKey(), stale.toArray(String[]::new)));
        }
        return live;
    }

    @Override
    public TaskStats stats(Instant since) {
        Instant now = clock.instant();
        TaskStats.Counter counter = new TaskStats.Counter();
        String min = "[" + ListingPositions.instant(since);
        String max = "+";
        while (true) {
            String from = max;
            List<String> positions = store.call("stats", j -> j.zrevrangeByLex(store.createdKey(), from, min, 0, STATS_BATCH));
            for (Head h : heads(positions, now)) {
                counter.add(h.taskType(), h.status());
            }
            if (positions.size() < STATS_BATCH) {
                break;
            }
            max = "(" + positions.getLast();
        }
        return counter.build(since, oldestPending(now));
    }

    /**
     * The first live PENDING task walking the creation index oldest first. Tasks leave PENDING
     * soon in a healthy system, so the walk stops early; at worst it reads the window once, in
     * batches of filter fields, like the counts do.
     */
    private TaskStats.OldestPending oldestPending(Instant now) {
        String min = "-";
        while (true) {
            String from = min;
            List<String> positions = store.call("stats", j -> j.zrangeByLex(store.createdKey(), from, "+", 0, STATS_BATCH));
            for (Head h : heads(positions, now)) {
                if (h.status() == TaskStatus.PENDING) {
                    return new TaskStats.OldestPending(h.taskId(), h.taskType(), h.createdAt());
                }
            }
            if (positions.size() < STATS_BATCH) {
                return null;
            }
            min = "(" + positions.getLast();
        }
    }
}
