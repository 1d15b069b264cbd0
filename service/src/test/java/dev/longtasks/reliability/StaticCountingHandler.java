package dev.longtasks.reliability;

import com.fasterxml.jackson.databind.JsonNode;
import dev.longtasks.json.Json;
import dev.longtasks.task.TaskContext;
import dev.longtasks.task.TaskHandler;
import dev.longtasks.testing.CountingHandler;

/**
 * A counting task type that a Lambda runtime can load by name ({@code TASKS_HANDLER_CLASSES}),
 * so a scenario can count handler runs inside the real ListenerHandler: the runtime makes its
 * own instance, so the counts live in one static {@link CountingHandler}. It works for 100 ms,
 * long enough for concurrent duplicate deliveries to overlap.
 */
public final class StaticCountingHandler implements TaskHandler {
    public static final String TYPE = "counted-static";
    private static final CountingHandler COUNTS = new CountingHandler((data, context) -> {
        Thread.sleep(100);
        return Json.MAPPER.createObjectNode().put("ok", true);
    });

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public JsonNode handle(JsonNode data, TaskContext context) throws Exception {
        return COUNTS.handle(data, context);
    }

    public static int starts(String taskId) {
        return COUNTS.starts(taskId);
    }
}
