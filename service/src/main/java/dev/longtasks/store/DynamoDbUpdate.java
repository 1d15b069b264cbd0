package dev.longtasks.store;

import static dev.longtasks.store.TaskItems.n;
import static dev.longtasks.store.TaskItems.s;

import dev.longtasks.task.Task;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/**
 * One conditional {@code UpdateItem} on a task under construction. A task write refreshes
 * {@code updated_at} and the TTL ({@link #taskWrite}); index bookkeeping ({@link #bookkeeping})
 * leaves both alone, so the client's view of the task does not change.
 */
final class DynamoDbUpdate {
    /** The result of one conditional update: the new task, or what the refused condition saw (when known). */
    record Outcome(Optional<Task> task, Optional<Task> seen) {
    }

    final Instant now;
    private final DynamoDbTaskStore store;
    private final StringBuilder set = new StringBuilder();
    private final StringBuilder add = new StringBuilder();
    private final StringBuilder remove = new StringBuilder();
    private final Map<String, String> names = new HashMap<>();
    private final Map<String, AttributeValue> values = new HashMap<>();

    private DynamoDbUpdate(DynamoDbTaskStore store, Instant now) {
        this.store = store;
        this.now = now;
        names.putAll(Map.of("#s", TaskItems.STATUS, "#attempt", TaskItems.ATTEMPT, "#lease", TaskItems.LEASE_UNTIL,
                "#ttl", TaskItems.TTL, "#updated", TaskItems.UPDATED_AT, "#started", TaskItems.STARTED_AT,
                "#finished", TaskItems.FINISHED_AT, "#r", TaskItems.RESULT, "#e", TaskItems.ERROR,
                "#p", TaskItems.PROGRESS));
        names.putAll(Map.of("#cancel", TaskItems.CANCEL_REQUESTED, "#due", TaskItems.DUE_AT,
                "#shard", TaskItems.OPEN_SHARD, "#disp", TaskItems.DISPATCHES, "#sent", TaskItems.COMPLETION_SENT));
    }

    /** A change of the task: {@code updated_at} and the TTL field (epoch s) are written too. */
    static DynamoDbUpdate taskWrite(DynamoDbTaskStore store, Instant now, long ttlEpochSeconds) {
        DynamoDbUpdate u = new DynamoDbUpdate(store, now);
        return u.set("#updated", ":now", s(now.toString())).set("#ttl", ":ttl", n(ttlEpochSeconds));
    }

    /** Index bookkeeping: neither {@code updated_at} nor the TTL moves. */
    static DynamoDbUpdate bookkeeping(DynamoDbTaskStore store, Instant now) {
        return new DynamoDbUpdate(store, now);
    }

    DynamoDbUpdate set(String name, String placeholder, AttributeValue value) {
        values.put(placeholder, value);
        return setRaw(name + " = " + placeholder);
    }

    DynamoDbUpdate setRaw(String clause) {
        set.append(set.isEmpty() ? "" : ", ").append(clause);
        return this;
    }

    DynamoDbUpdate value(String placeholder, AttributeValue value) {
        values.put(placeholder, value);
        return this;
    }

    DynamoDbUpdate name(String placeholder, String attribute) {
        names.put(placeholder, attribute);
        return this;
    }

    DynamoDbUpdate add(String clause, Map<String, AttributeValue> vals) {
        values.putAll(vals);
        add.append(add.isEmpty() ? "" : ", ").append(clause);
        return this;
    }

    DynamoDbUpdate remove(String... attributes) {
        for (String a : attributes) {
            remove.append(remove.isEmpty() ? "" : ", ").append(a);
        }
        return this;
    }

    /** Puts the task into the open-task index, due at {@code dueMillis}. */
    DynamoDbUpdate index(String taskId, long dueMillis) {
        return set("#due", ":due", n(dueMillis)).set("#shard", ":shard", TaskItems.shard(taskId));
    }

    DynamoDbUpdate unindex() {
        return remove("#due", "#shard");
    }

    Optional<Task> apply(String taskId, String condition, Map<String, AttributeValue> conditionValues) {
        return attempt(taskId, condition, conditionValues).task();
    }

    /** Every condition also requires a live item: an expired task is gone even before DynamoDB deletes it. */
    Outcome attempt(String taskId, String condition, Map<String, AttributeValue> conditionValues) {
        values.putAll(conditionValues);
        values.put(":nowSec", n(now.getEpochSecond()));
        String expression = Stream.of(clause("SET", set), clause("ADD", add), clause("REMOVE", remove))
                .filter(c -> !c.isEmpty()).collect(Collectors.joining(" "));
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
        UpdateItemRequest request = UpdateItemRequest.builder().tableName(store.table)
                .key(Map.of(TaskItems.ID, TaskItems.key(taskId)))
                .updateExpression(expression)
                .conditionExpression(fullCondition)
                .expressionAttributeNames(usedNames)
                .expressionAttributeValues(usedValues)
                .returnValues(ReturnValue.ALL_NEW)
                .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD)
                .build();
        try {
            var response = store.call("UpdateItem", () -> store.client.updateItem(request));
            return new Outcome(TaskItems.fromItem(response.attributes()), Optional.empty());
        } catch (ConditionalCheckFailedException e) {
            // DynamoDB returns the item it refused (ALL_OLD); dynalite does not, so callers
            // that need it fall back to a consistent read when this is empty.
            return new Outcome(Optional.empty(), e.hasItem() ? store.live(e.item()) : Optional.empty());
        }
    }

    private static String clause(String keyword, StringBuilder parts) {
        return parts.isEmpty() ? "" : keyword + " " + parts;
    }

    private static boolean mentions(String text, String placeholder) {
        return Pattern.compile(Pattern.quote(placeholder) + "(?![A-Za-z0-9_])").matcher(text).find();
    }
}
