package dev.longtasks.handlers;

import com.fasterxml.jackson.databind.JsonNode;
import dev.longtasks.json.Json;
import dev.longtasks.task.TaskContext;
import dev.longtasks.task.TaskHandler;

/** Does nothing and succeeds at once: the task type benchmarks use to measure the machinery itself. */
public final class NoopHandler implements TaskHandler {
    public static final String TYPE = "noop";

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public JsonNode handle(JsonNode data, TaskContext context) {
        return Json.MAPPER.createObjectNode().put("ok", true);
    }
}
