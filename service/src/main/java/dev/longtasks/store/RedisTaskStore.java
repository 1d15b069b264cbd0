package dev.longtasks.store;

import dev.longtasks.task.CancelResult;
import dev.longtasks.task.IdempotencyRecord;
import dev.longtasks.task.Progress;
import dev.longtasks.task.Task;
import dev.longtasks.task.TaskAlreadyExistsException;
import dev.longtasks.task.TaskError;
import dev.longtasks.task.TaskListing;
import dev.longtasks.task.TaskPage;
import dev.longtasks.task.TaskQuery;
import dev.longtasks.task.TaskStats;
import dev.longtasks.task.TaskStatus;
import dev.longtasks.task.TaskStore;
import dev.longtasks.task.TaskStoreException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.Response;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.exceptions.JedisNoScriptException;
import redis.clients.jedis.params.SetParams;

/**
 * Tasks in Redis, one hash per task under {@code <prefix>task:<id>}, and the open-task index as a
 * sorted set {@code <prefix>open} (member: task id, score: due time in epoch ms), changed by the
 * same scripts that change the hashes. The create script also adds the task's listing position to
 * the creation index {@code <prefix>created} ({@link RedisTaskListing}); no other write touches it.
 *
 * <p>Hashes rather than one JSON string per key: each Lua script reads only the two or three
 * fields its condition needs and writes only the fields it changes, with no JSON decoding in Lua
 * (cjson would reformat numbers and the stored input), and a heartbeat never rewrites the input.
 *
 * <p>Every transition is one Lua script, so the check and the write are one atomic step on the
 * server; there is no read-then-write race between workers. The caller's {@link Clock} is the one
 * time source: {@code now} is passed into every script, so leases and the TTL filter agree with
 * the other stores and tests can move time. Native expiry ({@code EXPIRE}, relative, refreshed on
 * every write) is only the garbage collector behind the {@code ttl} read filter.
 */
public final class RedisTaskStore implements TaskStore, TaskListing {
    private static final RedisScript CREATE = RedisScript.load("create");
    private static final RedisScript CLAIM = RedisScript.load("claim");
    private static final RedisScript PROGRESS = RedisScript.load("progress");
    private static final RedisScript FINISH = RedisScript.load("finish");
    private static final RedisScript FAIL_PENDING = RedisScript.load("fail_pending");
    private static final RedisScript CANCEL = RedisScript.load("cancel");
    private static final RedisScript FAIL_STALE = RedisScript.load("fail_stale");
    private static final RedisScript MARK_SENT = RedisScript.load("mark_sent");
    private static final RedisScript RESCHEDULE = RedisScript.load("reschedule");
    private static final RedisScript LEAD = RedisScript.load("lead");
    private static final RedisScript IDEM_REPLACE = RedisScript.load("idem_replace");

    private final RedisClient redis;
    private final String where;
    private final String prefix;
    private final Clock clock;
    private final long ttlSeconds;
    private final long openTtlSeconds;
    private final RedisTaskListing listing;

    RedisTaskStore(RedisClient redis, String where, String prefix, Clock clock, long ttlSeconds, long openTtlSeconds) {
        this.redis = redis;
        this.where = where;
        this.prefix = prefix;
        this.clock = clock;
        this.ttlSeconds = ttlSeconds;
        this.openTtlSeconds = openTtlSeconds;
        this.listing = new RedisTaskListing(this, clock);
    }

    public static RedisTaskStoreBuilder builder() {
        return new RedisTaskStoreBuilder();
    }

    /** The key prefix this store writes under (for tests and cleanup). */
    public String keyPrefix() {
        return prefix;
    }

    String taskKey(String taskId) {
        return prefix + "task:" + taskId;
    }

    String openKey() {
        return prefix + "open";
    }

    String createdKey() {
        return prefix + "created";
    }

    private List<String> keys(String taskId) {
        return List.of(taskKey(taskId), openKey());
    }

    private List<String> createKeys(String taskId) {
        return List.of(taskKey(taskId), openKey(), createdKey());
    }

    /**
     * The create script's arguments: the listing position, the trim bound (no task created before
     * {@code now - (open TTL + TTL)} can still be live: open, its record lives the open TTL past
     * its last write, and once ended the TTL past its end), then the record.
     */
    private List<String> createArgs(Instant now, Task t) {
        List<String> a = args(now, t.taskId(), ListingPositions.of(t.createdAt(), t.taskId()),
                ListingPositions.instant(now.minusSeconds(openTtlSeconds + ttlSeconds)));
        a.addAll(RedisTaskCodec.fields(t));
        return a;
    }

    private String idempotencyKey(String key) {
        return prefix + "idem:" + key;
    }

    /** The leading script arguments every script shares (see prelude.lua). */
    private List<String> args(Instant now, String taskId, String... extra) {
        List<String> a = new ArrayList<>(8 + extra.length);
        a.add(Long.toString(now.toEpochMilli()));
        a.add(Long.toString(now.getEpochSecond()));
        a.add(now.toString());
        // +1 s so Redis never deletes a record the ttl filter still shows as live.
        a.add(Long.toString(now.getEpochSecond() + ttlSeconds));
        a.add(Long.toString(ttlSeconds + 1));
        a.add(Long.toString(now.getEpochSecond() + openTtlSeconds));
        a.add(Long.toString(openTtlSeconds + 1));
        a.add(taskId);
        a.addAll(List.of(extra));
        return a;
    }

    <T> T call(String what, Function<RedisClient, T> action) {
        try {
            return action.apply(redis);
        } catch (JedisConnectionException e) {
            throw new TaskStoreException("Redis at " + where + " is unreachable (" + what + "): " + rootMessage(e), e);
        } catch (JedisDataException e) {
            throw new TaskStoreException("Redis at " + where + " refused the " + what + ": " + rootMessage(e), e,
                    isTransient(e));
        } catch (JedisException e) {
            throw new TaskStoreException("Redis at " + where + " failed the " + what + ": " + rootMessage(e), e);
        }
    }

    /**
     * An error reply is permanent (a script error, WRONGTYPE on a key that is not our hash) unless
     * the server says it is busy or recovering.
     */
    private static boolean isTransient(JedisDataException e) {
        String m = String.valueOf(e.getMessage());
        for (String code : new String[] {"BUSY", "LOADING", "TRYAGAIN", "MASTERDOWN", "CLUSTERDOWN", "OOM", "READONLY"}) {
            if (m.startsWith(code)) {
                return true;
            }
        }
        return false;
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t == e ? String.valueOf(e.getMessage()) : e.getMessage() + " (" + t + ")";
    }

    private Optional<Task> runForTask(String what, RedisScript script, String taskId, List<String> args) {
        Object reply = call(what, j -> script.run(j, keys(taskId), args));
        return reply instanceof List<?> flat ? Optional.of(RedisTaskCodec.fromFlatList(taskId, flat)) : Optional.empty();
    }

    private boolean runForFlag(String what, RedisScript script, List<String> keys, List<String> args) {
        return Long.valueOf(1).equals(call(what, j -> script.run(j, keys, args)));
    }

    void ping() {
        call("PING", RedisClient::ping);
    }

    @Override
    public void create(Task task) {
        List<String> a = createArgs(clock.instant(), task);
        Object created = call("create", j -> CREATE.run(j, createKeys(task.taskId()), a));
        if (!Long.valueOf(1).equals(created)) {
            throw new TaskAlreadyExistsException(task.taskId());
        }
    }

    /** One pipelined round trip for the whole batch. */
    @Override
    public void createAll(List<Task> tasks) {
        Instant now = clock.instant();
        List<List<String>> allArgs = new ArrayList<>(tasks.size());
        List<Object> replies = call("create batch", j -> {
            List<Response<Object>> rs = new ArrayList<>(tasks.size());
            try (Pipeline p = j.pipelined()) {
                for (Task t : tasks) {
                    List<String> a = createArgs(now, t);
                    allArgs.add(a);
                    rs.add(p.evalsha(CREATE.sha1(), createKeys(t.taskId()), a));
                }
                p.sync();
            }
            List<Object> out = new ArrayList<>(rs.size());
            for (int i = 0; i < rs.size(); i++) {
                try {
                    out.add(rs.get(i).get());
                } catch (JedisNoScriptException e) {
                    // Not run at all (the script cache was empty): run this one with the fallback.
                    out.add(CREATE.run(j, createKeys(tasks.get(i).taskId()), allArgs.get(i)));
                }
            }
            return out;
        });
        for (int i = 0; i < replies.size(); i++) {
            if (!Long.valueOf(1).equals(replies.get(i))) {
                throw new TaskAlreadyExistsException(tasks.get(i).taskId());
            }
        }
    }

    @Override
    public Optional<Task> get(String taskId) {
        Map<String, String> h = call("get", j -> j.hgetAll(taskKey(taskId)));
        return live(taskId, h, clock.instant());
    }

    static Optional<Task> live(String taskId, Map<String, String> h, Instant now) {
        if (h == null || h.isEmpty() || !h.containsKey("status")) {
            return Optional.empty();
        }
        Task t = RedisTaskCodec.fromHash(taskId, h);
        // Redis deletes expired keys on its own clock; the ttl field is what the service trusts.
        return t.isExpired(now) ? Optional.empty() : Optional.of(t);
    }

    /** One pipelined round trip of HGETALLs. */
    @Override
    public Map<String, Task> getAll(Collection<String> taskIds) {
        List<String> ids = List.copyOf(new LinkedHashSet<>(taskIds));
        List<Map<String, String>> hashes = call("batch get", j -> {
            try (Pipeline p = j.pipelined()) {
                List<Response<Map<String, String>>> rs = ids.stream().map(id -> p.hgetAll(taskKey(id))).toList();
                p.sync();
                return rs.stream().map(Response::get).toList();
            }
        });
        Instant now = clock.instant();
        Map<String, Task> found = new HashMap<>();
        for (int i = 0; i < ids.size(); i++) {
            String id = ids.get(i);
            live(id, hashes.get(i), now).ifPresent(t -> found.put(id, t));
        }
        return found;
    }

    @Override
    public Optional<Task> claim(String taskId, long leaseMillis) {
        Instant now = clock.instant();
        return runForTask("claim", CLAIM, taskId, args(now, taskId, Long.toString(now.toEpochMilli() + leaseMillis)));
    }

    @Override
    public Optional<Task> progress(String taskId, int attempt, Progress progress, long leaseMillis) {
        Instant now = clock.instant();
        return runForTask("progress", PROGRESS, taskId, args(now, taskId,
                Integer.toString(attempt),
                leaseMillis > 0 ? Long.toString(now.toEpochMilli() + leaseMillis) : "",
                progress == null ? "" : Integer.toString(progress.percent()),
                RedisTaskCodec.optional(progress == null ? null : progress.message())));
    }

    @Override
    public Optional<Task> finish(String taskId, int attempt, TaskStatus status, String resultJson, TaskError error) {
        if (!status.isTerminal()) {
            throw new IllegalArgumentException("not a terminal status: " + status);
        }
        return runForTask("finish", FINISH, taskId, args(clock.instant(), taskId,
                Integer.toString(attempt),
                status.name(),
                RedisTaskCodec.optional(resultJson),
                RedisTaskCodec.optional(error == null ? null : error.type()),
                RedisTaskCodec.optional(error == null ? null : error.message())));
    }

    @Override
    public Optional<Task> failPending(String taskId, TaskError error) {
        return runForTask("failPending", FAIL_PENDING, taskId, args(clock.instant(), taskId,
                error.type(), RedisTaskCodec.optional(error.message())));
    }

    @Override
    public Optional<Task> failStale(String taskId, int attempt, TaskError error) {
        return runForTask("failStale", FAIL_STALE, taskId, args(clock.instant(), taskId,
                Integer.toString(attempt), error.type(), RedisTaskCodec.optional(error.message())));
    }

    @Override
    public CancelResult cancel(String taskId) {
        Object reply = call("cancel", j -> CANCEL.run(j, keys(taskId), args(clock.instant(), taskId)));
        if (!(reply instanceof List<?> pair)) {
            return new CancelResult.NotFound();
        }
        Task t = RedisTaskCodec.fromFlatList(taskId, (List<?>) pair.get(1));
        return switch ((String) pair.get(0)) {
            case "cancelled" -> new CancelResult.Cancelled(t);
            case "requested" -> new CancelResult.Requested(t);
            default -> new CancelResult.AlreadyFinished(t);
        };
    }

    @Override
    public boolean markCompletionSent(String taskId) {
        return runForFlag("markCompletionSent", MARK_SENT, keys(taskId), args(clock.instant(), taskId));
    }

    @Override
    public List<String> dueTasks(Instant dueBy, int limit) {
        return call("dueTasks", j -> j.zrangeByScore(openKey(), Double.NEGATIVE_INFINITY, dueBy.toEpochMilli(), 0, limit));
    }

    @Override
    public boolean reschedule(Task seen, long dueAt, boolean dispatched) {
        return runForFlag("reschedule", RESCHEDULE, keys(seen.taskId()), args(clock.instant(), seen.taskId(),
                seen.status().name(), Integer.toString(seen.attempt()), Long.toString(dueAt), dispatched ? "1" : "0"));
    }

    /** A member whose hash expired (Redis deleted it, or its ttl passed) is removed when found. */
    @Override
    public void dropFromIndex(String taskId) {
        call("dropFromIndex", j -> j.zrem(openKey(), taskId));
    }

    /** One script compares and sets holder and end, on the caller's clock like every other time here. */
    @Override
    public boolean tryLead(String name, String holder, Duration ttl) {
        return runForFlag("tryLead", LEAD, List.of(prefix + "lead:" + name), args(clock.instant(), "",
                holder, Long.toString(ttl.toMillis())));
    }

    private static String bindingValue(IdempotencyRecord r) {
        return r.fingerprint() + "\n" + r.taskId() + "\n" + r.boundAtMillis();
    }

    /** SET NX with the open task TTL as native expiry: the binding lives as long as the task it names could. */
    @Override
    public Optional<IdempotencyRecord> bindIdempotencyKey(IdempotencyRecord record) {
        String key = idempotencyKey(record.key());
        return call("bindIdempotencyKey", j -> {
            for (int tries = 0; tries < 5; tries++) {
                if ("OK".equals(j.set(key, bindingValue(record), SetParams.setParams().nx().ex(openTtlSeconds)))) {
                    return Optional.<IdempotencyRecord>empty();
                }
                String existing = j.get(key);
                if (existing != null) {
                    String[] parts = existing.split("\n", 3);
                    long boundAt = parts.length > 2 ? Long.parseLong(parts[2]) : 0L;
                    return Optional.of(new IdempotencyRecord(record.key(), parts[0], parts[1], boundAt));
                }
                // The binding expired between SET NX and GET: try to bind again.
            }
            throw new JedisException("idempotency key " + record.key() + " kept changing under us");
        });
    }

    @Override
    public boolean replaceIdempotencyBinding(String fromTaskId, IdempotencyRecord next) {
        return runForFlag("replaceIdempotencyBinding", IDEM_REPLACE, List.of(idempotencyKey(next.key())),
                args(clock.instant(), "", fromTaskId, bindingValue(next), Long.toString(openTtlSeconds)));
    }

    @Override
    public void releaseIdempotencyKey(String key, String taskId) {
        runForFlag("releaseIdempotencyKey", IDEM_REPLACE, List.of(idempotencyKey(key)),
                args(clock.instant(), "", taskId, "", "0"));
    }

    @Override
    public TaskPage list(TaskQuery query) {
        return listing.list(query);
    }

    @Override
    public TaskStats stats(Instant since) {
        return listing.stats(since);
    }

    @Override
    public void close() {
        redis.close();
    }
}
