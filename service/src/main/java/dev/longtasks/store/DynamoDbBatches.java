package dev.longtasks.store;

import dev.longtasks.task.Task;
import dev.longtasks.task.TaskStoreException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * BatchGetItem (100 keys per call) and BatchWriteItem (25 items per call), retrying what DynamoDB
 * leaves unprocessed with exponential backoff, as its documentation asks.
 */
final class DynamoDbBatches {
    static final int MAX_GET = 100;
    static final int MAX_WRITE = 25;
    private static final int MAX_ROUNDS = 8;

    private final DynamoDbTaskStore store;

    DynamoDbBatches(DynamoDbTaskStore store) {
        this.store = store;
    }

    Map<String, Task> readAll(Collection<String> taskIds) {
        List<String> ids = new ArrayList<>(new LinkedHashSet<>(taskIds)); // BatchGetItem refuses duplicate keys
        Map<String, Task> found = new HashMap<>();
        for (int from = 0; from < ids.size(); from += MAX_GET) {
            List<Map<String, AttributeValue>> keys = new ArrayList<>();
            for (String id : ids.subList(from, Math.min(ids.size(), from + MAX_GET))) {
                keys.add(Map.of(TaskItems.ID, TaskItems.key(id)));
            }
            Map<String, KeysAndAttributes> pending = Map.of(store.table,
                    KeysAndAttributes.builder().keys(keys).consistentRead(true).build());
            for (int round = 0; !pending.isEmpty(); round++) {
                backoff(round, "BatchGetItem");
                Map<String, KeysAndAttributes> request = pending;
                var response = store.call("BatchGetItem", () -> store.client.batchGetItem(r -> r.requestItems(request)));
                for (var item : response.responses().getOrDefault(store.table, List.of())) {
                    store.live(item).ifPresent(t -> found.put(t.taskId(), t));
                }
                pending = response.hasUnprocessedKeys() ? response.unprocessedKeys() : Map.of();
            }
        }
        return found;
    }

    /**
     * BatchWriteItem cannot carry a condition, so unlike {@link DynamoDbTaskStore#create} it cannot
     * refuse an existing id. The ids come from {@code UUID.randomUUID()} (122 random bits) and were
     * never handed out before the write, so a collision is not a practical risk.
     */
    void writeAll(List<Task> tasks) {
        for (int from = 0; from < tasks.size(); from += MAX_WRITE) {
            List<WriteRequest> writes = new ArrayList<>();
            for (Task t : tasks.subList(from, Math.min(tasks.size(), from + MAX_WRITE))) {
                writes.add(WriteRequest.builder().putRequest(PutRequest.builder().item(TaskItems.toItem(t)).build()).build());
            }
            Map<String, List<WriteRequest>> pending = Map.of(store.table, writes);
            for (int round = 0; !pending.isEmpty(); round++) {
                backoff(round, "BatchWriteItem");
                Map<String, List<WriteRequest>> request = pending;
                var response = store.call("BatchWriteItem", () -> store.client.batchWriteItem(r -> r.requestItems(request)));
                pending = response.hasUnprocessedItems() ? response.unprocessedItems() : Map.of();
            }
        }
    }

    private void backoff(int round, String operation) {
        if (round == 0) {
            return;
        }
        if (round >= MAX_ROUNDS) {
            throw new TaskStoreException("DynamoDB " + operation + " on table " + store.table + " at " + store.endpoint
                    + " still left items unprocessed after " + MAX_ROUNDS + " attempts (throttled)");
        }
        try {
            Thread.sleep(Math.min(2_000L, 25L << round));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TaskStoreException("interrupted while retrying DynamoDB " + operation, e);
        }
    }
}
