package dev.longtasks.store;

import static dev.longtasks.store.TaskItems.s;

import dev.longtasks.task.Task;
import dev.longtasks.task.TaskCursor;
import dev.longtasks.task.TaskListing;
import dev.longtasks.task.TaskPage;
import dev.longtasks.task.TaskQuery;
import dev.longtasks.task.TaskStats;
import dev.longtasks.task.TaskStatus;
import dev.longtasks.task.TaskStoreException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

/**
 * The listing of {@link DynamoDbTaskStore}, on the GSI {@value TaskItems#RECENT_INDEX}: partition
 * key {@code recent_bucket} = creation hour + one of {@value TaskItems#RECENT_SHARDS} shards, sort
 * key {@code recent_at} = the {@link ListingPositions listing position}, projection INCLUDE
 * {@code status, task_type}. Never a scan: a page queries the shards of the newest hour of its
 * range in parallel (newest first, from the cursor), merges them by position, and moves to the
 * next older hour only when the page is not full; it then reads the page's records with one
 * consistent BatchGetItem, so every listed task is shown as it is now, and an expired one (which
 * DynamoDB deletes up to days late) is left out.
 *
 * <p>Why this projection: the keys never change, and status and type change together only at
 * a transition, so the index is written on create and on each status change (claim, end,
 * cancel) but not by progress heartbeats or bookkeeping, which touch neither. Filters by status
 * and type run in the index; the fields a task view needs beyond them (input, result, progress)
 * come from the one batch read of the page.
 *
 * <p>The range ends at the longest a task can live (the open TTL plus the TTL): older hours are
 * never queried, so a stage's history costs nothing. The index is eventually consistent: a task
 * changed in the last moment may be filtered by its previous status (the page read then drops it
 * when it no longer matches), and counts may lag by as much.
 */
final class DynamoDbRecentIndex implements TaskListing {
    /** Sorts after every listing position. */
    private static final String TOP = "9".repeat(24);
    /** Tolerated clock skew between the writers of created_at and this reader. */
    private static final Duration SKEW = Duration.ofMinutes(5);
    private static final int MAX_PAGE = 1_000;
    private static final int VERIFY_BATCH = 100;

    private final DynamoDbTaskStore store;
    private final long ttlSeconds;
    private final long lifeSeconds;

    DynamoDbRecentIndex(DynamoDbTaskStore store, long ttlSeconds, long openTtlSeconds) {
        this.store = store;
        this.ttlSeconds = ttlSeconds;
        this.lifeSeconds = ttlSeconds + openTtlSeconds;
    }

    /** One index entry: a position and the projected status and type. */
    private record Entry(String taskId, String position, TaskStatus status, String taskType) {
        TaskCursor cursor() {
            return ListingPositions.parse(position);
        }
    }

    /** The index filter of a walk: statuses and types (empty: all). */
    private record Filter(Collection<TaskStatus> statuses, Collection<String> types) {
        static final Filter ALL = new Filter(List.of(), List.of());
    }

    @Override
    public TaskPage list(TaskQuery query) {
        Instant now = store.now();
        Instant start = later(query.since(), now.minusSeconds(lifeSeconds));
        String hi = query.after() == null ? TOP : ListingPositions.of(query.after());
        long top = TaskItems.recentHour(query.after() == null ? now.plus(SKEW) : query.after().createdAt());
        int pageSize = Math.clamp((query.limit() + 1) / 2, 16, MAX_PAGE);
        List<Entry> matching = new ArrayList<>(query.limit() + 1);
        try (Walk walk = new Walk(top, TaskItems.recentHour(start), true, ListingPositions.instant(start), hi,
                new Filter(query.statuses(), query.types()), pageSize)) {
            for (Entry e = walk.next(); e != null && matching.size() <= query.limit(); e = walk.next()) {
                matching.add(e);
            }
        }
        List<Entry> onPage = matching.subList(0, Math.min(matching.size(), query.limit()));
        Map<String, Task> read = store.getAll(onPage.stream().map(Entry::taskId).toList());
        List<Task> page = new ArrayList<>(onPage.size());
        for (Entry e : onPage) {
            Task t = read.get(e.taskId());
            // The index may be a moment behind, and the task may have ended or expired since:
            // it is shown as it is now, or left out when it no longer matches.
            if (t != null && t.createdAt().equals(e.cursor().createdAt()) && query.matches(t)) {
                page.add(t);
            }
        }
        TaskCursor next = matching.size() > query.limit() ? onPage.getLast().cursor() : null;
        return new TaskPage(page, next);
    }

    /**
     * Counts from the index alone (status and type are projected), every shard of every hour in
     * parallel. A task created less than the TTL ago cannot have expired (its TTL runs from its
     * last write, which is no earlier than its creation), so only older entries are checked
     * against their records, in batches.
     */
    @Override
    public TaskStats stats(Instant since) {
        Instant now = store.now();
        Instant start = later(since, now.minusSeconds(lifeSeconds));
        TaskStats.Counter counter = new TaskStats.Counter();
        String youngFrom = ListingPositions.instant(now.minusSeconds(ttlSeconds));
        List<Entry> old = new ArrayList<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<CompletableFuture<List<Entry>>> parts = new ArrayList<>();
            for (long hour = TaskItems.recentHour(start); hour <= TaskItems.recentHour(now.plus(SKEW)); hour++) {
                for (int shard = 0; shard < TaskItems.RECENT_SHARDS; shard++) {
                    Shard s = new Shard(TaskItems.recentBucket(hour, shard), true, ListingPositions.instant(start), TOP,
                            Filter.ALL, MAX_PAGE);
                    parts.add(CompletableFuture.supplyAsync(s::drain, pool));
                }
            }
            for (CompletableFuture<List<Entry>> part : parts) {
                for (Entry e : join(part)) {
                    if (e.position().compareTo(youngFrom) >= 0) {
                        counter.add(e.taskType(), e.status());
                    } else {
                        old.add(e);
                    }
                }
            }
        }
        Map<String, Task> live = store.getAll(old.stream().map(Entry::taskId).toList());
        for (Entry e : old) {
            Task t = live.get(e.taskId());
            if (t != null && t.createdAt().equals(e.cursor().createdAt())) {
                counter.add(t);
            }
        }
        return counter.build(since, oldestPending(now));
    }

    /** The oldest live PENDING task of the range: the index filtered to PENDING, oldest first, each candidate read to confirm. */
    private TaskStats.OldestPending oldestPending(Instant now) {
        Instant start = now.minusSeconds(lifeSeconds);
        try (Walk walk = new Walk(TaskItems.recentHour(start), TaskItems.recentHour(now.plus(SKEW)), false,
                ListingPositions.instant(start), TOP, new Filter(List.of(TaskStatus.PENDING), List.of()), 16)) {
            while (true) {
                List<Entry> batch = new ArrayList<>();
                for (Entry e = walk.next(); e != null; e = batch.size() < VERIFY_BATCH ? walk.next() : null) {
                    batch.add(e);
                }
                if (batch.isEmpty()) {
                    return null;
                }
                Map<String, Task> read = store.getAll(batch.stream().map(Entry::taskId).toList());
                for (Entry e : batch) {
                    Task t = read.get(e.taskId());
                    if (t != null && t.status() == TaskStatus.PENDING && t.createdAt().equals(e.cursor().createdAt())) {
                        return TaskStats.OldestPending.of(t);
                    }
                }
            }
        }
    }

    private static Instant later(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }

    private static <T> T join(CompletableFuture<T> f) {
        try {
            return f.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new TaskStoreException("listing query failed: " + e.getCause(), e.getCause());
        }
    }

    /**
     * The entries of a range of hours in position order (newest first or oldest first), one hour
     * at a time: the hour's shards are first read in parallel, then merged by position.
     */
    private final class Walk implements AutoCloseable {
        private final ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor();
        private final boolean newestFirst;
        private final String lo;
        private final String hi;
        private final Filter filter;
        private final int pageSize;
        private final long last;
        private long hour;
        private PriorityQueue<Shard> heads;

        Walk(long firstHour, long lastHour, boolean newestFirst, String lo, String hi, Filter filter, int pageSize) {
            this.hour = firstHour;
            this.last = lastHour;
            this.newestFirst = newestFirst;
            this.lo = lo;
            this.hi = hi;
            this.filter = filter;
            this.pageSize = pageSize;
        }

        private boolean hoursLeft() {
            return newestFirst ? hour >= last : hour <= last;
        }

        /** The next entry, or null when the range is done. */
        Entry next() {
            while (heads == null || heads.isEmpty()) {
                if (!hoursLeft()) {
                    return null;
                }
                openHour();
            }
            Shard s = heads.poll();
            Entry e = s.poll();
            if (s.peek() != null) {
                heads.add(s);
            }
            return e;
        }

        private void openHour() {
            Comparator<Shard> byHead = Comparator.comparing(sh -> sh.peek().position());
            heads = new PriorityQueue<>(newestFirst ? byHead.reversed() : byHead);
            List<CompletableFuture<Shard>> opened = new ArrayList<>();
            for (int shard = 0; shard < TaskItems.RECENT_SHARDS; shard++) {
                Shard s = new Shard(TaskItems.recentBucket(hour, shard), !newestFirst, lo, hi, filter, pageSize);
                opened.add(CompletableFuture.supplyAsync(() -> {
                    s.peek();
                    return s;
                }, pool));
            }
            for (CompletableFuture<Shard> f : opened) {
                Shard s = join(f);
                if (s.peek() != null) {
                    heads.add(s);
                }
            }
            hour += newestFirst ? -1 : 1;
        }

        @Override
        public void close() {
            pool.close();
        }
    }

    /** One index partition (an hour's shard) read page by page between two positions. */
    private final class Shard {
        private final ArrayDeque<Entry> buffer = new ArrayDeque<>();
        private final String bucket;
        private final boolean ascending;
        private final String lo;
        private final String hi;
        private final Filter filter;
        private int pageSize;
        private Map<String, AttributeValue> lastKey;
        private boolean done;

        Shard(String bucket, boolean ascending, String lo, String hi, Filter filter, int pageSize) {
            this.bucket = bucket;
            this.ascending = ascending;
            this.lo = lo;
            this.hi = hi;
            this.filter = filter;
            this.pageSize = pageSize;
        }

        Entry peek() {
            while (buffer.isEmpty() && !done) {
                fetch();
            }
            return buffer.peek();
        }

        Entry poll() {
            peek();
            return buffer.poll();
        }

        List<Entry> drain() {
            List<Entry> all = new ArrayList<>();
            for (Entry e = poll(); e != null; e = poll()) {
                all.add(e);
            }
            return all;
        }

        private void fetch() {
            Map<String, String> names = new HashMap<>(Map.of("#b", TaskItems.RECENT_BUCKET, "#at", TaskItems.RECENT_AT));
            Map<String, AttributeValue> values = new HashMap<>(Map.of(":b", s(bucket), ":lo", s(lo), ":hi", s(hi)));
            List<String> conditions = new ArrayList<>();
            if (!filter.statuses().isEmpty()) {
                names.put("#st", TaskItems.STATUS);
                conditions.add("#st IN (" + placeholders("s", filter.statuses().stream().map(Enum::name).toList(), values) + ")");
            }
            if (!filter.types().isEmpty()) {
                names.put("#ty", TaskItems.TYPE);
                conditions.add("#ty IN (" + placeholders("t", List.copyOf(filter.types()), values) + ")");
            }
            QueryRequest.Builder request = QueryRequest.builder().tableName(store.table).indexName(TaskItems.RECENT_INDEX)
                    .keyConditionExpression("#b = :b AND #at BETWEEN :lo AND :hi")
                    .expressionAttributeNames(names).expressionAttributeValues(values)
                    .scanIndexForward(ascending).limit(pageSize);
            if (!conditions.isEmpty()) {
                request.filterExpression(String.join(" AND ", conditions));
            }
            if (lastKey != null) {
                request.exclusiveStartKey(lastKey);
            }
            QueryRequest built = request.build();
            QueryResponse response = store.call("Query", () -> store.client.query(built));
            for (Map<String, AttributeValue> item : response.items()) {
                String position = TaskItems.str(item, TaskItems.RECENT_AT);
                // BETWEEN is inclusive: the cursor's own task is the one entry at hi, and is not repeated.
                if (position == null || position.equals(hi) || TaskItems.str(item, TaskItems.STATUS) == null) {
                    continue;
                }
                buffer.add(new Entry(TaskItems.str(item, TaskItems.ID), position,
                        TaskStatus.valueOf(TaskItems.str(item, TaskItems.STATUS)), TaskItems.str(item, TaskItems.TYPE)));
            }
            lastKey = response.hasLastEvaluatedKey() && !response.lastEvaluatedKey().isEmpty() ? response.lastEvaluatedKey() : null;
            done = lastKey == null;
            // A narrow filter matches few entries per page: ask for more at a time, fewer round trips.
            pageSize = Math.min(pageSize * 2, MAX_PAGE);
        }

        private static String placeholders(String prefix, List<String> items, Map<String, AttributeValue> values) {
            List<String> names = new ArrayList<>();
            for (int i = 0; i < items.size(); i++) {
                values.put(":" + prefix + i, s(items.get(i)));
                names.add(":" + prefix + i);
            }
            return String.join(", ", names);
        }
    }
}
