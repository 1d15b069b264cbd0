package dev.longtasks.store;

import static dev.longtasks.store.TaskItems.n;
import static dev.longtasks.store.TaskItems.s;

import dev.longtasks.aws.AwsErrors;
import dev.longtasks.task.CancelResult;
import dev.longtasks.task.IdempotencyRecord;
import dev.longtasks.task.Progress;
import dev.longtasks.task.ReconcilerSettings;
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
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ItemCollectionSizeLimitExceededException;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;

/**
 * The AWS store: one DynamoDB item per task (DESIGN §3), every transition one conditional
 * {@code UpdateItem}. A refused condition is an empty result, never an exception; SDK failures
 * become {@link TaskStoreException} with the table and endpoint in one line.
 *
 * <p>No transactions and no {@code UpdateTimeToLive}: TTL belongs to the table definition in
 * serverless.yml, and dynalite (the test stand-in) has neither.
 *
 * <p>The open-task index is the sparse GSI of {@link TaskItems}; {@link DynamoDbOpenIndex} reads
 * it and holds the leader lease. The listing is the GSI {@code recent} of {@link DynamoDbRecentIndex}.
 */
public final class DynamoDbTaskStore implements TaskStore, TaskListing {
    /** DynamoDB table names: 3-255 characters of [a-zA-Z0-9_.-]. */
    private static final Pattern TABLE_NAME = Pattern.compile("[a-zA-Z0-9_.-]{3,255}");

    final DynamoDbClient client;
    final String table;
    final String endpoint;
    private final Clock clock;
    private final long ttlSeconds;
    private final long openTtlSeconds;
    private final DynamoDbBatches batches;
    private final DynamoDbIdempotency idempotency;
    private final DynamoDbOpenIndex openIndex;
    private final DynamoDbRecentIndex recentIndex;

    private DynamoDbTaskStore(Builder b) {
        this.client = b.client;
        this.table = b.tableName;
        this.endpoint = AwsErrors.endpointOf(b.client.serviceClientConfiguration(), "dynamodb");
        this.clock = b.clock;
        this.ttlSeconds = b.ttl.toSeconds();
        this.openTtlSeconds = b.ttl.plus(b.openHorizon).toSeconds();
        this.batches = new DynamoDbBatches(this);
        this.idempotency = new DynamoDbIdempotency(this);
        this.openIndex = new DynamoDbOpenIndex(this);
        this.recentIndex = new DynamoDbRecentIndex(this, ttlSeconds, openTtlSeconds);
    }

    public static Builder builder() {
        return new Builder();
    }

    public static final class Builder {
        private DynamoDbClient client;
        private String tableName;
        private Clock clock = Clock.systemUTC();
        private Duration ttl = Duration.ofHours(1);
        private Duration openHorizon = ReconcilerSettings.DEFAULT_OPEN_HORIZON;

        public Builder client(DynamoDbClient client) {
            this.client = client;
            return this;
        }

        public Builder tableName(String tableName) {
            this.tableName = tableName;
            return this;
        }

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

        public DynamoDbTaskStore build() {
            if (client == null) {
                throw new IllegalStateException("DynamoDbTaskStore needs a DynamoDbClient");
            }
            if (tableName == null || tableName.isBlank()) {
                throw new IllegalStateException("DynamoDbTaskStore needs a table name "
                        + "(SSM /{stage}/v1/tables/long_running_tasks_table or TASKS_TABLE)");
            }
            if (!TABLE_NAME.matcher(tableName).matches()) {
                throw new IllegalStateException("'" + tableName + "' is not a valid DynamoDB table name "
                        + "(3-255 characters of a-z, A-Z, 0-9, '_', '-', '.')");
            }
            if (ttl.toSeconds() < 1) {
                throw new IllegalStateException("DynamoDbTaskStore ttl must be at least 1 second, was " + ttl);
            }
            return new DynamoDbTaskStore(this);
        }
    }

    public String tableName() {
        return table;
    }

    Instant now() {
        return clock.instant();
    }

    /** The TTL field of an ended task written at {@code now}. */
    long ttlFrom(Instant now) {
        return now.getEpochSecond() + ttlSeconds;
    }

    /** The TTL field of an open task written at {@code now}: it must outlive queue wait and run time. */
    long openTtlFrom(Instant now) {
        return now.getEpochSecond() + openTtlSeconds;
    }

    /** Runs one SDK call; failures become a one-line {@link TaskStoreException}, classified. */
    <T> T call(String operation, Supplier<T> sdkCall) {
        try {
            return sdkCall.get();
        } catch (ConditionalCheckFailedException e) {
            throw e;
        } catch (ResourceNotFoundException e) {
            throw new TaskStoreException("DynamoDB table " + table + " not found at " + endpoint
                    + " — deploy the stack or check TASKS_TABLE / the SSM parameter", e);
        } catch (SdkException e) {
            throw new TaskStoreException("DynamoDB " + operation + " on table " + table + " at " + endpoint
                    + " failed: " + AwsErrors.reason(e), e, !isPermanent(e));
        }
    }

    /**
     * A request DynamoDB refuses as invalid (ValidationException, which includes an item over
     * 400 KB) or an item collection at its size limit fails the same way on every retry.
     */
    private static boolean isPermanent(SdkException e) {
        if (e instanceof ItemCollectionSizeLimitExceededException) {
            return true;
        }
        return e instanceof AwsServiceException ase && ase.awsErrorDetails() != null
                && "ValidationException".equals(ase.awsErrorDetails().errorCode());
    }

    private DynamoDbUpdate openWrite(Instant now) {
        return DynamoDbUpdate.taskWrite(this, now, openTtlFrom(now));
    }

    private DynamoDbUpdate endWrite(Instant now) {
        return DynamoDbUpdate.taskWrite(this, now, ttlFrom(now));
    }

    @Override
    public void create(Task task) {
        long nowSeconds = now().getEpochSecond();
        try {
            call("PutItem", () -> client.putItem(r -> r.tableName(table).item(TaskItems.toItem(task))
                    // A fresh id never exists; an expired record that DynamoDB has not yet deleted may be replaced.
                    .conditionExpression("attribute_not_exists(task_id) OR #ttl < :nowSec")
                    .expressionAttributeNames(Map.of("#ttl", TaskItems.TTL))
                    .expressionAttributeValues(Map.of(":nowSec", n(nowSeconds)))));
        } catch (ConditionalCheckFailedException e) {
            throw new TaskAlreadyExistsException(task.taskId());
        }
    }

    @Override
    public void createAll(List<Task> tasks) {
        batches.writeAll(tasks);
    }

    @Override
    public Optional<Task> get(String taskId) {
        var response = call("GetItem", () -> client.getItem(r -> r.tableName(table).consistentRead(true)
                .key(Map.of(TaskItems.ID, TaskItems.key(taskId)))));
        return live(response.item());
    }

    /** DynamoDB deletes expired items lazily, up to days late: a read must check the TTL itself. */
    Optional<Task> live(Map<String, AttributeValue> item) {
        Instant now = now();
        return TaskItems.fromItem(item).filter(t -> !t.isExpired(now));
    }

    @Override
    public Map<String, Task> getAll(Collection<String> taskIds) {
        return batches.readAll(taskIds);
    }

    @Override
    public Optional<Task> claim(String taskId, long leaseMillis) {
        Instant now = now();
        long lease = now.toEpochMilli() + leaseMillis;
        DynamoDbUpdate u = openWrite(now)
                .set("#s", ":running", s(TaskStatus.RUNNING.name()))
                .set("#lease", ":lease", n(lease))
                .setRaw("#started = if_not_exists(#started, :now)")
                .add("#attempt :one", Map.of(":one", n(1)))
                .index(taskId, lease)
                .remove("#r", "#e");
        // Fresh claim, or take over a RUNNING task whose holder stopped renewing its lease.
        return u.apply(taskId, "#s = :pending OR (#s = :running AND #lease < :nowMs)",
                Map.of(":pending", s(TaskStatus.PENDING.name()), ":nowMs", n(now.toEpochMilli())));
    }

    @Override
    public Optional<Task> progress(String taskId, int attempt, Progress progress, long leaseMillis) {
        Instant now = now();
        DynamoDbUpdate u = openWrite(now);
        if (progress != null) {
            u.set("#p", ":p", TaskItems.progress(progress));
        }
        if (leaseMillis > 0) {
            u.set("#lease", ":lease", n(now.toEpochMilli() + leaseMillis));
        }
        return u.apply(taskId, heldBy(), heldByValues(attempt));
    }

    /** Fencing: only the attempt that holds the claim may write, and only while it is RUNNING. */
    private static String heldBy() {
        return "#s = :running AND #attempt = :mine";
    }

    private static Map<String, AttributeValue> heldByValues(int attempt) {
        return Map.of(":running", s(TaskStatus.RUNNING.name()), ":mine", n(attempt));
    }

    @Override
    public Optional<Task> finish(String taskId, int attempt, TaskStatus status, String resultJson, TaskError error) {
        if (!status.isTerminal()) {
            throw new IllegalArgumentException("not a terminal status: " + status);
        }
        if (status != TaskStatus.SUCCEEDED) {
            return ended(taskId, now(), status, resultJson, error).apply(taskId, heldBy(), heldByValues(attempt));
        }
        // Success sets progress to 100 % and keeps the handler's last message. An update cannot
        // write a nested path of a map that may not exist, so the two shapes are two conditions.
        DynamoDbUpdate withMessage = ended(taskId, now(), status, resultJson, error)
                .setRaw("#p.#pct = :hundred").value(":hundred", n(100)).name("#pct", "percent");
        Optional<Task> done = withMessage.apply(taskId, heldBy() + " AND attribute_exists(#p)", heldByValues(attempt));
        if (done.isPresent()) {
            return done;
        }
        DynamoDbUpdate fresh = ended(taskId, now(), status, resultJson, error)
                .set("#p", ":p", TaskItems.progress(new Progress(100, "done")));
        return fresh.apply(taskId, heldBy() + " AND attribute_not_exists(#p)", heldByValues(attempt));
    }

    /** The end of a task: its completion event is owed, so it stays in the index, due at once. */
    private DynamoDbUpdate ended(String taskId, Instant now, TaskStatus status, String resultJson, TaskError error) {
        return endState(endWrite(now), status, resultJson, error)
                .set("#sent", ":false", AttributeValue.fromBool(false))
                .index(taskId, now.toEpochMilli());
    }

    private static DynamoDbUpdate endState(DynamoDbUpdate u, TaskStatus status, String resultJson, TaskError error) {
        u.set("#s", ":status", s(status.name()))
                .set("#lease", ":zero", n(0))
                .set("#finished", ":now", s(u.now.toString()));
        if (resultJson != null) {
            u.set("#r", ":r", s(resultJson));
        } else {
            u.remove("#r");
        }
        if (error != null) {
            u.set("#e", ":e", TaskItems.error(error));
        } else {
            u.remove("#e");
        }
        return u;
    }

    @Override
    public Optional<Task> failPending(String taskId, TaskError error) {
        return ended(taskId, now(), TaskStatus.FAILED, null, error)
                .apply(taskId, "#s = :pending", Map.of(":pending", s(TaskStatus.PENDING.name())));
    }

    @Override
    public Optional<Task> failStale(String taskId, int attempt, TaskError error) {
        Instant now = now();
        Map<String, AttributeValue> values = new HashMap<>(heldByValues(attempt));
        values.put(":nowMs", n(now.toEpochMilli()));
        return ended(taskId, now, TaskStatus.FAILED, null, error).apply(taskId, heldBy() + " AND #lease < :nowMs", values);
    }

    @Override
    public CancelResult cancel(String taskId) {
        // Two conditional writes, one per cancellable state; a task can only move forward, so
        // at most one PENDING -> RUNNING race separates them.
        for (int round = 0; round < 3; round++) {
            // The client asked for it: no completion event is owed, so the task leaves the index.
            DynamoDbUpdate pending = endState(endWrite(now()), TaskStatus.CANCELLED, null, null).unindex().remove("#sent");
            DynamoDbUpdate.Outcome first = pending.attempt(taskId, "#s = :pending", Map.of(":pending", s(TaskStatus.PENDING.name())));
            if (first.task().isPresent()) {
                return new CancelResult.Cancelled(first.task().get());
            }
            Optional<Task> seen = first.seen().isPresent() ? first.seen() : get(taskId);
            if (seen.isEmpty()) {
                return new CancelResult.NotFound();
            }
            if (seen.get().status().isTerminal()) {
                return new CancelResult.AlreadyFinished(seen.get());
            }
            DynamoDbUpdate running = openWrite(now()).set("#cancel", ":yes", AttributeValue.fromBool(true));
            Optional<Task> requested = running.apply(taskId, "#s = :running", Map.of(":running", s(TaskStatus.RUNNING.name())));
            if (requested.isPresent()) {
                return new CancelResult.Requested(requested.get());
            }
        }
        return get(taskId).<CancelResult>map(CancelResult.AlreadyFinished::new).orElseGet(CancelResult.NotFound::new);
    }

    @Override
    public boolean markCompletionSent(String taskId) {
        return DynamoDbUpdate.bookkeeping(this, now()).unindex().remove("#sent")
                .apply(taskId, "#sent = :false", Map.of(":false", AttributeValue.fromBool(false))).isPresent();
    }

    @Override
    public List<String> dueTasks(Instant dueBy, int limit) {
        return openIndex.due(dueBy, limit);
    }

    @Override
    public boolean reschedule(Task seen, long dueAt, boolean dispatched) {
        DynamoDbUpdate u = DynamoDbUpdate.bookkeeping(this, now()).set("#due", ":due", n(dueAt));
        if (dispatched) {
            u.add("#disp :one", Map.of(":one", n(1)));
        }
        return u.apply(seen.taskId(), "#s = :status AND #attempt = :attempt AND attribute_exists(#due)",
                Map.of(":status", s(seen.status().name()), ":attempt", n(seen.attempt()))).isPresent();
    }

    @Override
    public void dropFromIndex(String taskId) {
        openIndex.drop(taskId);
    }

    @Override
    public boolean tryLead(String name, String holder, Duration ttl) {
        return openIndex.tryLead(name, holder, ttl);
    }

    @Override
    public Optional<IdempotencyRecord> bindIdempotencyKey(IdempotencyRecord record) {
        return idempotency.bind(record);
    }

    @Override
    public boolean replaceIdempotencyBinding(String fromTaskId, IdempotencyRecord next) {
        return idempotency.replace(fromTaskId, next);
    }

    @Override
    public void releaseIdempotencyKey(String key, String taskId) {
        idempotency.release(key, taskId);
    }

    @Override
    public TaskPage list(TaskQuery query) {
        return recentIndex.list(query);
    }

    @Override
    public TaskStats stats(Instant since) {
        return recentIndex.stats(since);
    }

    @Override
    public void close() {
        // The client is shared (AwsClients) and closed by its owner.
    }
}
