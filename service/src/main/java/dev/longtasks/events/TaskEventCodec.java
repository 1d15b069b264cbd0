package dev.longtasks.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.longtasks.json.Json;
import dev.longtasks.task.TaskEvent;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The one wire format of a {@link TaskEvent} (DESIGN §3), for every bus: a small JSON body with
 * {@code task_id}, {@code task_type}, {@code event} and {@code stage}, never the input, and the
 * message attributes {@code event_type} and {@code task_type} that SNS subscription filters and
 * AMQP headers carry.
 */
public final class TaskEventCodec {
    public static final String EVENT_TYPE_ATTRIBUTE = "event_type";
    public static final String TASK_TYPE_ATTRIBUTE = "task_type";

    private TaskEventCodec() {
    }

    /** The message body. */
    public static String encode(TaskEvent e) {
        return Json.write(body(e));
    }

    public static byte[] encodeBytes(TaskEvent e) {
        return Json.writeBytes(body(e));
    }

    private static ObjectNode body(TaskEvent e) {
        ObjectNode n = Json.MAPPER.createObjectNode();
        n.put("task_id", e.taskId());
        n.put("task_type", e.taskType());
        n.put("event", e.event());
        n.put("stage", e.stage());
        return n;
    }

    /** {@code event_type} always; {@code task_type} when the event has one (an empty attribute is refused by SNS). */
    public static Map<String, String> attributes(TaskEvent e) {
        Map<String, String> a = new LinkedHashMap<>();
        a.put(EVENT_TYPE_ATTRIBUTE, e.event());
        if (e.taskType() != null && !e.taskType().isEmpty()) {
            a.put(TASK_TYPE_ATTRIBUTE, e.taskType());
        }
        return a;
    }

    /**
     * Reads a raw body ({@code {"task_id":...}}) or an SNS envelope around one
     * ({@code {"Type":"Notification","TopicArn":...,"Message":"..."}}, what an SQS queue subscribed
     * without raw delivery receives). Empty when it is not a JSON object with an {@code event}.
     * Other fields may be missing: the runner answers an event without a task id, it is not a
     * reason to fail the delivery.
     */
    public static Optional<TaskEvent> decode(String body) {
        try {
            return decode(body == null ? null : Json.MAPPER.readTree(body));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    public static Optional<TaskEvent> decode(byte[] body) {
        try {
            return decode(body == null ? null : Json.MAPPER.readTree(body));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static Optional<TaskEvent> decode(JsonNode node) throws IOException {
        if (node != null && node.has("Message") && node.has("TopicArn")) {
            node = Json.MAPPER.readTree(node.get("Message").asText());
        }
        if (node == null || !node.isObject() || !node.hasNonNull("event")) {
            return Optional.empty();
        }
        return Optional.of(new TaskEvent(text(node, "task_id"), text(node, "task_type"),
                text(node, "event"), text(node, "stage")));
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }
}
