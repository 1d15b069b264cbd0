package dev.longtasks.store;

import static dev.longtasks.store.TaskItems.n;
import static dev.longtasks.store.TaskItems.s;

import dev.longtasks.aws.AwsErrors;
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
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/**
 * The AWS store: one DynamoDB item per task (DESIGN §3), every transition one conditional
 * {@code UpdateItem}. A refused condition is an empty result, never an exception; SDK failures
 * become {@link TaskStoreException} with the table and endpoint in one line.
 *
 * <p>No transactions and no {@code UpdateTimeToLive}: TTL belongs to the table definition in
 * serverless.yml, and dynalite (the test stand-in) has neither.
 */
public final class DynamoDbTaskStore implements TaskStore {
    /** DynamoDB table names: 3-255 characters of [a-zA-Z0-9_.-]. */
    private static final Pattern TABLE_NAME = Pattern.compile("[a-zA-Z0-9_.-]{3,255}");

    final DynamoDbClient client;
    final String table;
    final String endpoint;
    private final Clock clock;
    private final long ttlSeconds;
    private final DynamoDbBatches batches;
    private final DynamoDbIdempotency idempotency;

    private DynamoDbTaskStore(Builder b) {
        this.client = b.client;
        this.table = b.tableName;
        this.endpoint = AwsErrors.endpointOf(b.client.serviceClientConfiguration(), "dynamodb");
        this.clock = b.clock;
        this.ttlSeconds = b.ttl.toSeconds();
        this.batches = new DynamoDbBatches(this);
        this.idempotency = new DynamoDbIdempotency(this);
    }

    public static Builder builder() {
        return new Builder();
    }

    public static final class Builder {
        private DynamoDbClient client;
        private String tableName;
        private Clock clock = Clock.systemUTC();
        private Duration ttl = Duration.ofHours(1);

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

    long ttlFrom(Instant now) {
        return now.getEpochSecond() + ttlSeconds;
    }

    /** Runs one SDK call; infrastructure failures become a one-line {@link TaskStoreException}. */
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
                    + " failed: " + AwsErrors.reason(e), e);
        }
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
        Update u = new Update(now)
                .set("#s", ":running", s(TaskStatus.RUNNING.name()))
                .set("#lease", ":lease", n(now.toEpochMilli() + leaseMillis))
                .setRaw("#started = if_not_exists(#started, :now)")
                .add("#attempt :one", Map.of(":one", n(1)))
                .remove("#r", "#e");
        // Fresh claim, or take over a RUNNING task whose holder stopped renewing its lease.
        return u.apply(taskId, "#s = :pending OR (#s = :running AND #lease < :nowMs)",
                Map.of(":pending", s(TaskStatus.PENDING.name()), ":nowMs", n(now.toEpochMilli())));
    }

    @Override
    public Optional<Task> progress(String taskId, int attempt, Progress progress, long leaseMillis) {
        Instant now = now();
        Update u = new Update(now);
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
            return ended(new Update(now()), status, resultJson, error).apply(taskId, heldBy(), heldByValues(attempt));
        }
        // Success sets progress to 100 % and keeps the handler's last message. An update cannot
        // write a nested path of a map that may not exist, so the two shapes are two conditions.
        Update withMessage = ended(new Update(now()), status, resultJson, error)
                .setRaw("#p.#pct = :hundred").value(":hundred", n(100)).name("#pct", "percent");
        Optional<Task> done = withMessage.apply(taskId, heldBy() + " AND attribute_exists(#p)", heldByValues(attempt));
        if (done.isPresent()) {
            return done;
        }
        Update fresh = ended(new Update(now()), status, resultJson, error)
                .set("#p", ":p", TaskItems.progress(new Progress(100, "done")));
        return fresh.apply(taskId, heldBy() + " AND attribute_not_exists(#p)", heldByValues(attempt));
    }

    private static Update ended(Update u, TaskStatus status, String resultJson, TaskError error) {
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
        return ended(new Update(now()), TaskStatus.FAILED, null, error)
                .apply(taskId, "#s = :pending", Map.of(":pending", s(TaskStatus.PENDING.name())));
    }

    @Override
    public CancelResult cancel(String taskId) {
        // Two conditional writes, one per cancellable state; a task can only move forward, so
        // at most one PENDING -> RUNNING race separates them.
        for (int round = 0; round < 3; round++) {
            Update pending = ended(new Update(now()), TaskStatus.CANCELLED, null, null);
            UpdateOutcome first = pending.attempt(taskId, "#s = :pending", Map.of(":pending", s(TaskStatus.PENDING.name())));
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
            Update running = new Update(now()).set("#cancel", ":yes", AttributeValue.fromBool(true));
            Optional<Task> requested = running.apply(taskId, "#s = :running", Map.of(":running", s(TaskStatus.RUNNING.name())));
            if (requested.isPresent()) {
                return new CancelResult.Requested(requested.get());
            }
        }
        return get(taskId).<CancelResult>map(CancelResult.AlreadyFinished::new).orElseGet(CancelResult.NotFound::new);
    }

    @Override
    public Optional<IdempotencyRecord> bindIdempotencyKey(IdempotencyRecord record) {
        return idempotency.bind(record);
    }

    @Override
    public void releaseIdempotencyKey(String key) {
        idempotency.release(key);
    }

    @Override
    public void close() {
        // The client is shared (AwsClients) and closed by its owner.
    }

    private static boolean mentions(String text, String placeholder) {
        return Pattern.compile(Pattern.quote(placeholder) + "(?![A-Za-z0-9_])").matcher(text).find();
    }

    /** The result of one conditional update: the new task, or what the refused condition saw (when known). */
    record UpdateOutcome(Optional<Task> task, Optional<Task> seen) {
    }

    /** One UpdateItem under construction; every write refreshes updated_at and ttl. */
    final class Update {
        final Instant now;
        private final StringBuilder set = new StringBuilder();
        private final StringBuilder add = new StringBuilder();
        private final StringBuilder remove = new StringBuilder();
        private final Map<String, String> names = new HashMap<>();
        private final Map<String, AttributeValue> values = new HashMap<>();

        Update(Instant now) {
            this.now = now;
            names.putAll(Map.of("#s", TaskItems.STATUS, "#attempt", TaskItems.ATTEMPT, "#lease", TaskItems.LEASE_UNTIL,
                    "#ttl", TaskItems.TTL, "#updated", TaskItems.UPDATED_AT, "#started", TaskItems.STARTED_AT,
                    "#finished", TaskItems.FINISHED_AT, "#r", TaskItems.RESULT, "#e", TaskItems.ERROR,
                    "#p", TaskItems.PROGRESS));
            names.put("#cancel", TaskItems.CANCEL_REQUESTED);
            set("#updated", ":now", s(now.toString()));
            set("#ttl", ":ttl", n(ttlFrom(now)));
        }

        Update set(String name, String placeholder, AttributeValue value) {
            values.put(placeholder, value);
            return setRaw(name + " = " + placeholder);
        }

        Update setRaw(String clause) {
            set.append(set.isEmpty() ? "" : ", ").append(clause);
            return this;
        }

        Update value(String placeholder, AttributeValue value) {
            values.put(placeholder, value);
            return this;
        }

        Update name(String placeholder, String attribute) {
            names.put(placeholder, attribute);
            return this;
        }

        Update add(String clause, Map<String, AttributeValue> vals) {
            values.putAll(vals);
            add.append(add.isEmpty() ? "" : ", ").append(clause);
            return this;
        }

        Update remove(String... attributes) {
            for (String a : attributes) {
                remove.append(remove.isEmpty() ? "" : ", ").append(a);
            }
            return this;
        }

        Optional<Task> apply(String taskId, String condition, Map<String, AttributeValue> conditionValues) {
            return attempt(taskId, condition, conditionValues).task();
        }

        /** Every condition also requires a live item: an expired task is gone even before DynamoDB deletes it. */
        UpdateOutcome attempt(String taskId, String condition, Map<String, AttributeValue> conditionValues) {
            values.putAll(conditionValues);
            values.put(":nowSec", n(now.getEpochSecond()));
            String expression = "SET " + set + (add.isEmpty() ? "" : " ADD " + add)
                    + (remove.isEmpty() ? "" : " REMOVE " + remove);
            // Parentheses only where precedence needs them: DynamoDB rejects redundant ones.
            String fullCondition = "attribute_exists(task_id) AND #ttl >= :nowSec AND "
                    + (condition.contains(" OR ") ? "(" + condition + ")" : condition);
            // DynamoDB refuses unused placeholders, so only the ones the expressions mention are sent.
            String text = expression + " " + fullCondition;
            Map<String, String> usedNames = new HashMap<>();
            names.forEach((k, v) -> {
                if (mentions(text, k)) {
                    usedNames.put(k, v);
                }
            });
            Map<String, AttributeValue> usedValues = new HashMap<>();
            values.forEach((k, v) -> {
                if (mentions(text, k)) {
                    usedValues.put(k, v);
                }
            });
            UpdateItemRequest request = UpdateItemRequest.builder().tableName(table)
                    .key(Map.of(TaskItems.ID, TaskItems.key(taskId)))
                    .updateExpression(expression)
                    .conditionExpression(fullCondition)
                    .expressionAttributeNames(usedNames)
                    .expressionAttributeValues(usedValues)
                    .returnValues(ReturnValue.ALL_NEW)
                    .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD)
                    .build();
            try {
                var response = call("UpdateItem", () -> client.updateItem(request));
                return new UpdateOutcome(TaskItems.fromItem(response.attributes()), Optional.empty());
            } catch (ConditionalCheckFailedException e) {
                // DynamoDB returns the item it refused (ALL_OLD); dynalite does not, so callers
                // that need it fall back to a consistent read when this is empty.
                return new UpdateOutcome(Optional.empty(), e.hasItem() ? live(e.item()) : Optional.empty());
            }
        }
    }
}
