package dev.longtasks.reliability;

import dev.longtasks.task.CancelResult;
import dev.longtasks.task.IdempotencyRecord;
import dev.longtasks.task.Progress;
import dev.longtasks.task.Task;
import dev.longtasks.task.TaskError;
import dev.longtasks.task.TaskStatus;
import dev.longtasks.task.TaskStore;
import dev.longtasks.task.TaskStoreException;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * A delegating {@link TaskStore} (around any real store) that counts every call, remembers every
 * task id ever created and every accepted terminal write, and can simulate an outage: while
 * {@link #outage} is set, every call throws {@link TaskStoreException} as a real backend would
 * on a network failure. It is how scenarios prove "never completed twice" and "rejected before
 * any store call".
 */
public final class RecordingTaskStore implements TaskStore {
    private final TaskStore delegate;
    private final Map<String, AtomicLong> calls = new ConcurrentHashMap<>();
    private final Set<String> created = ConcurrentHashMap.newKeySet();
    private final Map<String, AtomicInteger> terminalWrites = new ConcurrentHashMap<>();
    private final Set<String> boundKeys = ConcurrentHashMap.newKeySet();
    private final AtomicLong mutations = new AtomicLong();
    private final Set<String> failing = ConcurrentHashMap.newKeySet();
    private final Map<String, Runnable> hooks = new ConcurrentHashMap<>();
    private volatile boolean outage;

    public RecordingTaskStore(TaskStore delegate) {
        this.delegate = delegate;
    }

    public void outage(boolean on) {
        outage = on;
    }

    /** From now on, calls of these operations fail as in an outage; the others go through. */
    public void failOn(String... operations) {
        failing.clear();
        failing.addAll(List.of(operations));
    }

    /** Runs {@code hook} at the start of every call of {@code operation} (to hold or interleave it). */
    public void onCall(String operation, Runnable hook) {
        hooks.put(operation, hook);
    }

    /** The real store underneath, for reads the counters must not see. */
    public TaskStore delegate() {
        return delegate;
    }

    /** Calls made so far, all operations together. */
    public long totalCalls() {
        return calls.values().stream().mapToLong(AtomicLong::get).sum();
    }

    public long calls(String operation) {
        AtomicLong n = calls.get(operation);
        return n == null ? 0 : n.get();
    }

    public Set<String> createdIds() {
        return Set.copyOf(created);
    }

    /** Writes that changed something (a refused conditional write does not count). */
    public long mutations() {
        return mutations.get();
    }

    private <T> T mutated(T result) {
        mutations.incrementAndGet();
        return result;
    }

    private Optional<Task> changed(Optional<Task> after) {
        after.ifPresent(t -> mutations.incrementAndGet());
        return after;
    }

    /** Idempotency keys bound through this store and not released. */
    public Set<String> boundKeys() {
        return Set.copyOf(boundKeys);
    }

    /**
     * Everything this store holds that a request could have changed: every task ever created
     * (as it reads now) and the bound idempotency keys. Two equal snapshots mean nothing changed.
     */
    public Map<String, Object> snapshot() {
        Map<String, Object> all = new TreeMap<>();
        for (String id : created) {
            all.put(id, delegate.get(id).orElse(null));
        }
        all.put("#idempotency-keys", new TreeSet<>(boundKeys));
        return all;
    }

    /** How many writes put this task into a terminal state (more than one would be a double completion). */
    public int terminalWrites(String taskId) {
        AtomicInteger n = terminalWrites.get(taskId);
        return n == null ? 0 : n.get();
    }

    private <T> T call(String operation, Supplier<T> body) {
        calls.computeIfAbsent(operation, k -> new AtomicLong()).incrementAndGet();
        Runnable hook = hooks.get(operation);
        if (hook != null) {
            hook.run();
        }
        if (outage || failing.contains(operation)) {
            throw new TaskStoreException("store unreachable (simulated outage) during " + operation);
        }
        return body.get();
    }

    private Optional<Task> countTerminal(Optional<Task> after) {
        after.filter(t -> t.status().isTerminal())
                .ifPresent(t -> terminalWrites.computeIfAbsent(t.taskId(), k -> new AtomicInteger()).incrementAndGet());
        return after;
    }

    @Override
    public void create(Task task) {
        call("create", () -> {
            delegate.create(task);
            created.add(task.taskId());
            return mutated(null);
        });
    }

    @Override
    public void createAll(List<Task> tasks) {
        call("createAll", () -> {
            delegate.createAll(tasks);
            tasks.forEach(t -> created.add(t.taskId()));
            return mutated(null);
        });
    }

    @Override
    public Optional<Task> get(String taskId) {
        return call("get", () -> delegate.get(taskId));
    }

    @Override
    public Map<String, Task> getAll(Collection<String> taskIds) {
        return call("getAll", () -> delegate.getAll(taskIds));
    }

    @Override
    public Optional<Task> claim(String taskId, long leaseMillis) {
        return call("claim", () -> changed(delegate.claim(taskId, leaseMillis)));
    }

    @Override
    public Optional<Task> progress(String taskId, int attempt, Progress progress, long leaseMillis) {
        return call("progress", () -> changed(delegate.progress(taskId, attempt, progress, leaseMillis)));
    }

    @Override
    public Optional<Task> finish(String taskId, int attempt, TaskStatus status, String resultJson, TaskError error) {
        return call("finish", () -> countTerminal(changed(delegate.finish(taskId, attempt, status, resultJson, error))));
    }

    @Override
    public Optional<Task> failPending(String taskId, TaskError error) {
        return call("failPending", () -> countTerminal(changed(delegate.failPending(taskId, error))));
    }

    @Override
    public CancelResult cancel(String taskId) {
        return call("cancel", () -> {
            CancelResult r = delegate.cancel(taskId);
            if (r instanceof CancelResult.Cancelled || r instanceof CancelResult.Requested) {
                mutations.incrementAndGet();
            }
            if (r instanceof CancelResult.Cancelled c) {
                countTerminal(Optional.of(c.task()));
            }
            return r;
        });
    }

    @Override
    public Optional<IdempotencyRecord> bindIdempotencyKey(IdempotencyRecord record) {
        return call("bindIdempotencyKey", () -> {
            Optional<IdempotencyRecord> existing = delegate.bindIdempotencyKey(record);
            if (existing.isEmpty()) {
                boundKeys.add(record.key());
                mutations.incrementAndGet();
            }
            return existing;
        });
    }

    @Override
    public boolean replaceIdempotencyBinding(String fromTaskId, IdempotencyRecord next) {
        return call("replaceIdempotencyBinding", () -> {
            boolean replaced = delegate.replaceIdempotencyBinding(fromTaskId, next);
            if (replaced) {
                boundKeys.add(next.key());
                mutations.incrementAndGet();
            }
            return replaced;
        });
    }

    @Override
    public void releaseIdempotencyKey(String key, String taskId) {
        call("releaseIdempotencyKey", () -> {
            delegate.releaseIdempotencyKey(key, taskId);
            boundKeys.remove(key);
            return mutated(null);
        });
    }

    @Override
    public Optional<Task> failStale(String taskId, int attempt, TaskError error) {
        return call("failStale", () -> countTerminal(changed(delegate.failStale(taskId, attempt, error))));
    }

    @Override
    public boolean markCompletionSent(String taskId) {
        return call("markCompletionSent", () -> delegate.markCompletionSent(taskId));
    }

    @Override
    public List<String> dueTasks(Instant dueBy, int limit) {
        return call("dueTasks", () -> delegate.dueTasks(dueBy, limit));
    }

    @Override
    public boolean reschedule(Task seen, long dueAt, boolean dispatched) {
        return call("reschedule", () -> delegate.reschedule(seen, dueAt, dispatched));
    }

    @Override
    public void dropFromIndex(String taskId) {
        call("dropFromIndex", () -> {
            delegate.dropFromIndex(taskId);
            return null;
        });
    }

    @Override
    public boolean tryLead(String name, String holder, Duration ttl) {
        return call("tryLead", () -> delegate.tryLead(name, holder, ttl));
    }

    @Override
    public void close() {
        delegate.close();
    }
}
