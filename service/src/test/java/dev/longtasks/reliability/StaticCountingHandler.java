package dev.longtasks.reliability;

import com.fasterxml.jackson.databind.JsonNode;
import dev.longtasks.json.Json;
import dev.longtasks.task.TaskContext;
import dev.longtasks.task.TaskHandler;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A counting task type that a Lambda runtime can load by name ({@code TASKS_HANDLER_CLASSES}),
 * so a scenario can count handler runs inside the real ListenerHandler. It works for 100 ms, long
 * enough for concurrent duplicate deliveries to overlap.
 */
public final class StaticCountingHandler implements TaskHandler {
    public static final String TYPE = "counted-static";
    private static final Map<String, AtomicInteger> STARTS = new ConcurrentHashMap<>();

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public JsonNode handle(JsonNode data, TaskContext context) throws Exception {
        STARTS.computeIfAbsent(context.taskId(), k -> new AtomicInteger()).incrementAndGet();
        Thread.sleep(100);
        return Json.MAPPER.createObjectNode().put("ok", true);
    }

    public static int starts(String taskId) {
        AtomicInteger n = STARTS.get(taskId);
        return n == null ? 0 : n.get();
    }
}
