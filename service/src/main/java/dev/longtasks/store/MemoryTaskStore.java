package dev.longtasks.store;

import dev.longtasks.task.CancelResult;
import dev.longtasks.task.IdempotencyRecord;
import dev.longtasks.task.Progress;
import dev.longtasks.task.ReconcilerSettings;
import dev.longtasks.task.StoreFullException;
import dev.longtasks.task.Task;
import dev.longtasks.task.TaskAlreadyExistsException;
import dev.longtasks.task.TaskError;
import dev.longtasks.task.TaskListing;
import dev.longtasks.task.TaskPage;
import dev.longtasks.task.TaskQuery;
import dev.longtasks.task.TaskStats;
import dev.longtasks.task.TaskStatus;
import dev.longtasks.task.TaskStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiFunction;

/**
 * The embedded store: a real implementation on a {@link ConcurrentHashMap}, used by the local
 * server and by unit tests. Each transition runs inside {@code compute}, which makes the
 * conditional check and the write one atomic step per key.
 *
 * <p>Memory stays bounded: expired tasks are swept as new ones arrive, and past {@code maxTasks}
 * the oldest finished tasks are evicted. Unfinished tasks are never evicted; when they alone fill
 * the store, {@link #create} refuses with {@link StoreFullException}.
 *
 * <p>Listing and counts come from a {@link MemoryTaskIndex} kept beside the map.
 * <p>The open-task index is a map of id to due time, changed inside the same {@code compute} as
 * the record, so the reconciler reads O(open tasks), never the whole map.
 */
public final class MemoryTaskStore implements TaskStore, TaskListing {

    private final ConcurrentHashMap<String, Task> tasks = new ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<String> arrivalOrder = new ConcurrentLinkedQueue<>();
    private final ConcurrentHashMap<String, Long> open = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, IdempotencyEntry> idempotency = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Lead> leads = new ConcurrentHashMap<>();
    private final AtomicInteger createsSinceSweep = new AtomicInteger();
    private final Clock clock;
    private final long ttlSeconds;
    private final long openTtlSeconds;
    private final int maxTasks;
    private final MemoryTaskIndex index;

    private record IdempotencyEntry(IdempotencyRecord record, long expiresAtEpochSecond) {
    }

    private record Lead(String holder, long untilMillis) {
    }

    private MemoryTaskStore(Builder b) {
        this.clock = b.clock;
        this.ttlSeconds = b.ttl.toSeconds();
        this.openTtlSeconds = b.ttl.plus(b.openHorizon).toSeconds();
        this.maxTasks = b.maxTasks;
        this.index = new MemoryTaskIndex(tasks::get, clock);
    }

    public static Builder builder() {
        return new Builder();
    }

    public static final class Builder {
        private Clock clock = Clock.systemUTC();
        private Duration ttl = Duration.ofHours(1);
        private Duration openHorizon = ReconcilerSettings.DEFAULT_OPEN_HORIZON;
        private int maxTasks = 200_000;

        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        public Builder ttl(Duration ttl) {
            this.ttl = Objects.requireNonNull(ttl, "ttl");
            return this;
        }

        /** Added to the TTL while a task is open (see {@link TaskStore}). */
        public Builder openHorizon(Duration openHorizon) {
            this.openHorizon = Objects.requireNonNull(openHorizon, "openHorizon");
            return this;
        }

        public Builder maxTasks(int maxTasks) {
            this.maxTasks = maxTasks;
            return this;
        }

        public MemoryTaskStore build() {
            if (ttl.toSeconds() < 1) {
                throw new IllegalStateException("MemoryTaskStore ttl must be at least 1 second, was " + ttl);
            }
            if (maxTasks < 1) {
                throw new IllegalStateException("MemoryTaskStore maxTasks must be positive, was " + maxTasks);
            }
            return new MemoryTaskStore(this);
        }
    }

    private Instant now() {
        return clock.instant();
    }

    /** Number of records held, expired ones not yet swept included. For tests and metrics. */
    public int size() {
        return tasks.size();
    }

    @Override
    public void create(Task task) {
        makeRoom();
        Task previous = tasks.putIfAbsent(task.taskId(), task);
        if (previous != null && !previous.isExpired(now())) {
            throw new TaskAlreadyExistsException(task.taskId());
        }
        if (previous != null) {
            tasks.put(task.taskId(), task);
        }
        index(task);
        arrivalOrder.add(task.taskId());
        index.added(task);
    }

    /** Keeps the open-task index in step with a record; called where the record is written. */
    private void index(Task t) {
        if (t.isIndexed()) {
            open.put(t.taskId(), t.dueAt());
        } else {
            open.remove(t.taskId());
        }
    }

    private void makeRoom() {
        // A sweep scans the whole map, so it runs once per size/8 creates (at least 1024): the
        // cost per create stays constant however many tasks are held.
        if (createsSinceSweep.incrementAndGet() >= Math.max(1024, tasks.size() / 8)) {
            createsSinceSweep.set(0);
            sweepExpired();
        }
        // Concurrent creates may overshoot maxTasks by a few; refusing is only right when a whole
        // pass over the arrival order found nothing finished or expired to evict.
        int guard = tasks.size();
        while (tasks.size() >= maxTasks) {
            String oldest = guard-- > 0 ? arrivalOrder.poll() : null;
            if (oldest == null) {
                throw new StoreFullException(maxTasks);
            }
            Instant now = now();
            Task kept = tasks.computeIfPresent(oldest, (id, t) -> {
                if (t.status().isTerminal() || t.isExpired(now)) {
                    index.removed(t);
                    return null;
                }
                return t;
            });
            if (kept != null) {
                arrivalOrder.add(oldest);
            }
        }
    }

    /** Drops every expired record; called as tasks are created so the map never outgrows the TTL window. */
    public void sweepExpired() {
        Instant now = now();
        tasks.values().removeIf(t -> t.isExpired(now));
        arrivalOrder.removeIf(id -> !tasks.containsKey(id));
        index.prune();
        open.keySet().removeIf(id -> !tasks.containsKey(id));
        long nowSeconds = now.getEpochSecond();
        idempotency.values().removeIf(e -> e.expiresAtEpochSecond() < nowSeconds);
    }

    @Override
    public Optional<Task> get(String taskId) {
        Task t = tasks.get(taskId);
        return t == null || t.isExpired(now()) ? Optional.empty() : Optional.of(t);
    }

    @Override
    public Map<String, Task> getAll(Collection<String> taskIds) {
        Map<String, Task> found = new HashMap<>();
        for (String id : taskIds) {
            get(id).ifPresent(t -> found.put(id, t));
        }
        return found;
    }

    /** Applies {@code change} atomically to a live record; empty if the record is gone or the change refused. */
    private Optional<Task> transition(String taskId, BiFunction<Task, Instant, Task> change) {
        AtomicReference<Task> applied = new AtomicReference<>();
        tasks.computeIfPresent(taskId, (id, current) -> {
            Instant now = now();
            if (current.isExpired(now)) {
                return current;
            }
            Task next = change.apply(current, now);
            if (next != null) {
                applied.set(next);
                index(next);
                return next;
            }
            return current;
        });
        return Optional.ofNullable(applied.get());
    }

    @Override
    public Optional<Task> claim(String taskId, long leaseMillis) {
        return transition(taskId, (t, now) -> t.isClaimable(now) ? t.claimed(now, leaseMillis, openTtlSeconds) : null);
    }

    @Override
    public Optional<Task> progress(String taskId, int attempt, Progress progress, long leaseMillis) {
        return transition(taskId, (t, now) -> isHeldBy(t, attempt)
                ? t.withProgress(progress == null ? t.progress() : progress, now, leaseMillis, openTtlSeconds)
                : null);
    }

    @Override
    public Optional<Task> finish(String taskId, int attempt, TaskStatus status, String resultJson, TaskError error) {
        return transition(taskId, (t, now) -> isHeldBy(t, attempt)
                ? t.finished(status, resultJson, error, now, ttlSeconds)
                : null);
    }

    private static boolean isHeldBy(Task t, int attempt) {
        return t.status() == TaskStatus.RUNNING && t.attempt() == attempt;
    }

    @Override
    public Optional<Task> failPending(String taskId, TaskError error) {
        return transition(taskId, (t, now) -> t.status() == TaskStatus.PENDING
                ? t.finished(TaskStatus.FAILED, null, error, now, ttlSeconds)
                : null);
    }

    @Override
    public Optional<Task> failStale(String taskId, int attempt, TaskError error) {
        return transition(taskId, (t, now) -> isHeldBy(t, attempt) && t.leaseUntil() < now.toEpochMilli()
                ? t.finished(TaskStatus.FAILED, null, error, now, ttlSeconds)
                : null);
    }

    @Override
    public CancelResult cancel(String taskId) {
        AtomicReference<CancelResult> result = new AtomicReference<>(new CancelResult.NotFound());
        tasks.computeIfPresent(taskId, (id, t) -> {
            Instant now = now();
            if (t.isExpired(now)) {
                return t;
            }
            Task next = switch (t.status()) {
                case PENDING -> t.finished(TaskStatus.CANCELLED, null, null, now, ttlSeconds).completionRecorded();
                case RUNNING -> t.withCancelRequested(now, openTtlSeconds);
                default -> t;
            };
            index(next);
            result.set(switch (t.status()) {
                case PENDING -> new CancelResult.Cancelled(next);
                case RUNNING -> new CancelResult.Requested(next);
                default -> new CancelResult.AlreadyFinished(t);
            });
            return next;
        });
        return result.get();
    }

    /** Positions the listing index holds; tests check that it does not outgrow the map. */
    int indexSize() {
        return index.size();
    }

    @Override
    public TaskPage list(TaskQuery query) {
        return index.list(query);
    }

    @Override
    public TaskStats stats(Instant since) {
        return index.stats(since);
    }

    @Override
    public boolean markCompletionSent(String taskId) {
        return transition(taskId, (t, now) -> t.status().isTerminal() && !t.completionSent() ? t.completionRecorded() : null)
                .isPresent();
    }

    @Override
    public List<String> dueTasks(Instant dueBy, int limit) {
        long by = dueBy.toEpochMilli();
        return open.entrySet().stream().filter(e -> e.getValue() <= by)
                .sorted(Map.Entry.comparingByValue()).limit(limit).map(Map.Entry::getKey).toList();
    }

    @Override
    public boolean reschedule(Task seen, long dueAt, boolean dispatched) {
        return transition(seen.taskId(), (t, now) -> t.status() == seen.status() && t.attempt() == seen.attempt() && t.isIndexed()
                ? t.rescheduled(dueAt, dispatched)
                : null).isPresent();
    }

    @Override
    public void dropFromIndex(String taskId) {
        if (get(taskId).isEmpty()) {
            open.remove(taskId);
        }
    }

    /** One process, but the lease still has one holder at a time, as on the shared stores. */
    @Override
    public boolean tryLead(String name, String holder, Duration ttl) {
        long now = now().toEpochMilli();
        Lead lead = leads.compute(name, (k, current) -> current == null || current.holder().equals(holder)
                || current.untilMillis() < now ? new Lead(holder, now + ttl.toMillis()) : current);
        return lead.holder().equals(holder);
    }

    @Override
    public Optional<IdempotencyRecord> bindIdempotencyKey(IdempotencyRecord record) {
        long nowSeconds = now().getEpochSecond();
        AtomicReference<IdempotencyRecord> existing = new AtomicReference<>();
        idempotency.compute(record.key(), (k, e) -> {
            if (e != null && e.expiresAtEpochSecond() >= nowSeconds) {
                existing.set(e.record());
                return e;
            }
            return new IdempotencyEntry(record, nowSeconds + openTtlSeconds);
        });
        return Optional.ofNullable(existing.get());
    }

    @Override
    public boolean replaceIdempotencyBinding(String fromTaskId, IdempotencyRecord next) {
        long nowSeconds = now().getEpochSecond();
        AtomicReference<Boolean> replaced = new AtomicReference<>(false);
        idempotency.computeIfPresent(next.key(), (k, e) -> {
            if (e.expiresAtEpochSecond() >= nowSeconds && e.record().taskId().equals(fromTaskId)) {
                replaced.set(true);
                return new IdempotencyEntry(next, nowSeconds + openTtlSeconds);
            }
            return e;
        });
        return replaced.get();
    }

    @Override
    public void releaseIdempotencyKey(String key, String taskId) {
        idempotency.computeIfPresent(key, (k, e) -> e.record().taskId().equals(taskId) ? null : e);
    }
}
