package dev.longtasks.store;

import static dev.longtasks.store.TaskItems.n;
import static dev.longtasks.store.TaskItems.s;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/**
 * Reads the sparse GSI {@code open-due} of {@link TaskItems} (a Query per shard, keys only, never a
 * scan) and holds the leader lease of the self-hosted reconciler, an item {@code lease#<name>} in
 * the task table.
 */
final class DynamoDbOpenIndex {
    private static final String HOLDER = "holder";

    private final DynamoDbTaskStore store;

    DynamoDbOpenIndex(DynamoDbTaskStore store) {
        this.store = store;
    }

    /** A due task's key as the index returns it. */
    private record Due(String taskId, long dueAt) {
    }

    /**
     * The ids due at or before {@code dueBy}, earliest first, at most {@code limit}: up to
     * {@code limit} from each shard (one page each), merged. The GSI is eventually consistent, so
     * the caller reads every task before it acts.
     */
    List<String> due(Instant dueBy, int limit) {
        List<Due> found = new ArrayList<>();
        for (int shard = 0; shard < TaskItems.SHARDS; shard++) {
            String name = TaskItems.shardName(shard);
            var response = store.call("Query", () -> store.client.query(r -> r.tableName(store.table)
                    .indexName(TaskItems.OPEN_INDEX)
                    .keyConditionExpression("#shard = :shard AND #due <= :by")
                    .expressionAttributeNames(Map.of("#shard", TaskItems.OPEN_SHARD, "#due", TaskItems.DUE_AT))
                    .expressionAttributeValues(Map.of(":shard", s(name), ":by", n(dueBy.toEpochMilli())))
                    .limit(limit)));
            for (Map<String, AttributeValue> key : response.items()) {
                found.add(new Due(TaskItems.str(key, TaskItems.ID), TaskItems.num(key, TaskItems.DUE_AT)));
            }
        }
        return found.stream().sorted(Comparator.comparingLong(Due::dueAt)).limit(limit).map(Due::taskId).toList();
    }

    /**
     * Removes the index attributes of an expired item: DynamoDB deletes it lazily, up to days late,
     * and until then the index would keep offering it. Refused (and ignored) when the item is live.
     */
    void drop(String taskId) {
        try {
            store.call("UpdateItem", () -> store.client.updateItem(r -> r.tableName(store.table)
                    .key(Map.of(TaskItems.ID, TaskItems.key(taskId)))
                    .updateExpression("REMOVE #due, #shard")
                    .conditionExpression("attribute_exists(task_id) AND #ttl < :nowSec")
                    .expressionAttributeNames(Map.of("#due", TaskItems.DUE_AT, "#shard", TaskItems.OPEN_SHARD,
                            "#ttl", TaskItems.TTL))
                    .expressionAttributeValues(Map.of(":nowSec", n(store.now().getEpochSecond())))));
        } catch (ConditionalCheckFailedException e) {
            // Gone already, or live again (a new task with the id): nothing to drop.
        }
    }

    /**
     * One conditional UpdateItem (which creates the item when it is missing, so the caller needs no
     * PutItem): the lease is taken when it is free, expired, or already this holder's.
     */
    boolean tryLead(String name, String holder, Duration ttl) {
        Instant now = store.now();
        long until = now.toEpochMilli() + ttl.toMillis();
        try {
            store.call("UpdateItem", () -> store.client.updateItem(r -> r.tableName(store.table)
                    .key(Map.of(TaskItems.ID, s("lease#" + name)))
                    .updateExpression("SET #holder = :me, #until = :until, #ttl = :ttl")
                    .conditionExpression("attribute_not_exists(#holder) OR #holder = :me OR #until < :nowMs")
                    .expressionAttributeNames(Map.of("#holder", HOLDER, "#until", TaskItems.LEASE_UNTIL,
                            "#ttl", TaskItems.TTL))
                    .expressionAttributeValues(Map.of(":me", s(holder), ":until", n(until),
                            ":ttl", n(until / 1000 + 3600), ":nowMs", n(now.toEpochMilli())))));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }
}
