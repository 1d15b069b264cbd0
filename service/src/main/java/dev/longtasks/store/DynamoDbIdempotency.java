package dev.longtasks.store;

import static dev.longtasks.store.TaskItems.n;
import static dev.longtasks.store.TaskItems.s;

import dev.longtasks.task.IdempotencyRecord;
import dev.longtasks.task.TaskStoreException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/**
 * Idempotency keys live in the task table as items keyed {@code "idem#" + sha256(key)}: never a
 * UUID, so never a task id, and the caller's key itself is not stored. They expire with the TTL.
 */
final class DynamoDbIdempotency {
    static final String PREFIX = "idem#";
    private static final String FINGERPRINT = "fingerprint";
    private static final String BOUND_TASK = "bound_task_id";
    private static final String BOUND_AT = "bound_at";

    private final DynamoDbTaskStore store;

    DynamoDbIdempotency(DynamoDbTaskStore store) {
        this.store = store;
    }

    static String itemKey(String key) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
            return PREFIX + HexFormat.of().formatHex(hash);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    Optional<IdempotencyRecord> bind(IdempotencyRecord record) {
        String id = itemKey(record.key());
        for (int round = 0; round < 3; round++) {
            Instant now = store.now();
            try {
                store.call("PutItem", () -> store.client.putItem(r -> r.tableName(store.table)
                        .item(item(id, record, now))
                        // Bind unless a live binding exists; an expired one DynamoDB has not deleted yet is replaced.
                        .conditionExpression("attribute_not_exists(task_id) OR #ttl < :nowSec")
                        .expressionAttributeNames(Map.of("#ttl", TaskItems.TTL))
                        .expressionAttributeValues(Map.of(":nowSec", n(now.getEpochSecond())))));
                return Optional.empty();
            } catch (ConditionalCheckFailedException e) {
                Optional<IdempotencyRecord> existing = read(id, record.key());
                if (existing.isPresent()) {
                    return existing;
                }
                // The binding expired or was released between the put and the read: try again.
            }
        }
        throw new TaskStoreException("idempotency key binding in table " + store.table + " kept changing under us");
    }

    /** The binding lives as long as the task it names could: the open horizon past the TTL. */
    private Map<String, AttributeValue> item(String id, IdempotencyRecord record, Instant now) {
        return Map.of(TaskItems.ID, s(id), FINGERPRINT, s(record.fingerprint()), BOUND_TASK, s(record.taskId()),
                BOUND_AT, n(record.boundAtMillis()), TaskItems.CREATED_AT, s(now.toString()),
                TaskItems.TTL, n(store.openTtlFrom(now)));
    }

    /** Compare-and-set from the task {@code fromTaskId} to {@code next}; false when the binding moved or expired. */
    boolean replace(String fromTaskId, IdempotencyRecord next) {
        Instant now = store.now();
        try {
            store.call("PutItem", () -> store.client.putItem(r -> r.tableName(store.table)
                    .item(item(itemKey(next.key()), next, now))
                    .conditionExpression("#bound = :from AND #ttl >= :nowSec")
                    .expressionAttributeNames(Map.of("#bound", BOUND_TASK, "#ttl", TaskItems.TTL))
                    .expressionAttributeValues(Map.of(":from", s(fromTaskId), ":nowSec", n(now.getEpochSecond())))));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    private Optional<IdempotencyRecord> read(String id, String key) {
        var response = store.call("GetItem", () -> store.client.getItem(r -> r.tableName(store.table)
                .consistentRead(true).key(Map.of(TaskItems.ID, s(id)))));
        Map<String, AttributeValue> item = response.item();
        if (item == null || item.isEmpty() || TaskItems.num(item, TaskItems.TTL) < store.now().getEpochSecond()) {
            return Optional.empty();
        }
        return Optional.of(new IdempotencyRecord(key, TaskItems.str(item, FINGERPRINT), TaskItems.str(item, BOUND_TASK),
                TaskItems.num(item, BOUND_AT)));
    }

    /** Deletes the binding only while it names {@code taskId}: a binding taken over since stays. */
    void release(String key, String taskId) {
        try {
            store.call("DeleteItem", () -> store.client.deleteItem(r -> r.tableName(store.table)
                    .key(Map.of(TaskItems.ID, s(itemKey(key))))
                    .conditionExpression("#bound = :mine")
                    .expressionAttributeNames(Map.of("#bound", BOUND_TASK))
                    .expressionAttributeValues(Map.of(":mine", s(taskId)))));
        } catch (ConditionalCheckFailedException e) {
            // Someone else's binding now: theirs to keep.
        }
    }
}
