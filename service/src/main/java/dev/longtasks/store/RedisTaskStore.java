package dev.longtasks.store;

import dev.longtasks.task.CancelResult;
import dev.longtasks.task.IdempotencyRecord;
import dev.longtasks.task.Progress;
import dev.longtasks.task.Task;
import dev.longtasks.task.TaskAlreadyExistsException;
import dev.longtasks.task.TaskError;
import dev.longtasks.task.TaskStatus;
import dev.longtasks.task.TaskStore;
import dev.longtasks.task.TaskStoreException;
import java.time.Clock;
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
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.exceptions.JedisNoScriptException;
import redis.clients.jedis.params.SetParams;

/**
 * Tasks in Redis, one hash per task under {@code <prefix>task:<id>}.
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
public final class RedisTaskStore implements TaskStore {
    private static final RedisScript CREATE = RedisScript.load("create");
    private static final RedisScript CLAIM = RedisScript.load("claim");
    private static final RedisScript PROGRESS = RedisScript.load("progress");
    private static final RedisScript FINISH = RedisScript.load("finish");
    private static final RedisScript FAIL_PENDING = RedisScript.load("fail_pending");
    private static final RedisScript CANCEL = RedisScript.load("cancel");

    private final RedisClient redis;
    private final String where;
    private final String prefix;
    private final Clock clock;
    private final long ttlSeconds;

    RedisTaskStore(RedisClient redis, String where, String prefix, Clock clock, long ttlSeconds) {
        this.redis = redis;
        this.where = where;
        this.prefix = prefix;
        this.clock = clock;
        this.ttlSeconds = ttlSeconds;
    }

    public static RedisTaskStoreBuilder builder() {
        return new RedisTaskStoreBuilder();
    }

    /** The key prefix this store writes under (for tests and cleanup). */
    public String keyPrefix() {
        return prefix;
    }

    private String taskKey(String taskId) {
        return prefix + "task:" + taskId;
    }

    private String idempotencyKey(String key) {
        return prefix + "idem:" + key;
    }

    /** The leading script arguments every script shares (see prelude.lua). */
    private List<String> args(Instant now, String... extra) {
        List<String> a = new ArrayList<>(5 + extra.length);
        a.add(Long.toString(now.toEpochMilli()));
        a.add(Long.toString(now.getEpochSecond()));
        a.add(now.toString());
        a.add(Long.toString(now.getEpochSecond() + ttlSeconds));
        // +1 s so Redis never deletes a record the ttl filter still shows as live.
        a.add(Long.toString(ttlSeconds + 1));
        a.addAll(List.of(extra));
        return a;
    }

    private <T> T call(String what, Function<RedisClient, T> action) {
        try {
            return action.apply(redis);
        } catch (JedisConnectionException e) {
            throw new TaskStoreException("Redis at " + where + " is unreachable (" + what + "): " + rootMessage(e), e);
        } catch (JedisException e) {
            throw new TaskStoreException("Redis at " + where + " failed the " + what + ": " + rootMessage(e), e);
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t == e ? String.valueOf(e.getMessage()) : e.getMessage() + " (" + t + ")";
    }

    private Optional<Task> runForTask(String what, RedisScript script, String taskId, List<String> args) {
        Object reply = call(what, j -> script.run(j, taskKey(taskId), args));
        return reply instanceof List<?> flat ? Optional.of(RedisTaskCodec.fromFlatList(flat)) : Optional.empty();
    }

    void ping() {
        call("PING", RedisClient::ping);
    }

    @Override
    public void create(Task task) {
        List<String> a = args(clock.instant());
        a.addAll(RedisTaskCodec.fields(task));
        Object created = call("create", j -> CREATE.run(j, taskKey(task.taskId()), a));
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
                    List<String> a = args(now);
                    a.addAll(RedisTaskCodec.fields(t));
                    allArgs.add(a);
                    rs.add(p.evalsha(CREATE.sha1(), List.of(taskKey(t.taskId())), a));
                }
                p.sync();
            }
            List<Object> out = new ArrayList<>(rs.size());
            for (int i = 0; i < rs.size(); i++) {
                try {
                    out.add(rs.get(i).get());
                } catch (JedisNoScriptException e) {
                    // Not run at all (the script cache was empty): run this one with the fallback.
                    out.add(CREATE.run(j, taskKey(tasks.get(i).taskId()), allArgs.get(i)));
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
        return live(h, clock.instant());
    }

    private static Optional<Task> live(Map<String, String> h, Instant now) {
        if (h == null || h.isEmpty() || !h.containsKey("status")) {
            return Optional.empty();
        }
        Task t = RedisTaskCodec.fromHash(h);
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
            live(hashes.get(i), now).ifPresent(t -> found.put(id, t));
        }
        return found;
    }

    @Override
    public Optional<Task> claim(String taskId, long leaseMillis) {
        Instant now = clock.instant();
        return runForTask("claim", CLAIM, taskId, args(now, Long.toString(now.toEpochMilli() + leaseMillis)));
    }

    @Override
    public Optional<Task> progress(String taskId, int attempt, Progress progress, long leaseMillis) {
        Instant now = clock.instant();
        return runForTask("progress", PROGRESS, taskId, args(now,
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
        return runForTask("finish", FINISH, taskId, args(clock.instant(),
                Integer.toString(attempt),
                status.name(),
                RedisTaskCodec.optional(resultJson),
                RedisTaskCodec.optional(error == null ? null : error.type()),
                RedisTaskCodec.optional(error == null ? null : error.message())));
    }

    @Override
    public Optional<Task> failPending(String taskId, TaskError error) {
        return runForTask("failPending", FAIL_PENDING, taskId, args(clock.instant(),
                error.type(), RedisTaskCodec.optional(error.message())));
    }

    @Override
    public CancelResult cancel(String taskId) {
        Object reply = call("cancel", j -> CANCEL.run(j, taskKey(taskId), args(clock.instant())));
        if (!(reply instanceof List<?> pair)) {
            return new CancelResult.NotFound();
        }
        Task t = RedisTaskCodec.fromFlatList((List<?>) pair.get(1));
        return switch ((String) pair.get(0)) {
            case "cancelled" -> new CancelResult.Cancelled(t);
            case "requested" -> new CancelResult.Requested(t);
            default -> new CancelResult.AlreadyFinished(t);
        };
    }

    /** SET NX with the task TTL as native expiry: the binding lives as long as the task it names. */
    @Override
    public Optional<IdempotencyRecord> bindIdempotencyKey(IdempotencyRecord record) {
        String key = idempotencyKey(record.key());
        String value = record.fingerprint() + "\n" + record.taskId();
        return call("bindIdempotencyKey", j -> {
            for (int tries = 0; tries < 5; tries++) {
                if ("OK".equals(j.set(key, value, SetParams.setParams().nx().ex(ttlSeconds)))) {
                    return Optional.<IdempotencyRecord>empty();
                }
                String existing = j.get(key);
                if (existing != null) {
                    int nl = existing.indexOf('\n');
                    return Optional.of(new IdempotencyRecord(record.key(), existing.substring(0, nl), existing.substring(nl + 1)));
                }
                // The binding expired between SET NX and GET: try to bind again.
            }
            throw new JedisException("idempotency key " + record.key() + " kept changing under us");
        });
    }

    @Override
    public void releaseIdempotencyKey(String key) {
        call("releaseIdempotencyKey", j -> j.del(idempotencyKey(key)));
    }

    @Override
    public void close() {
        redis.close();
    }
}
