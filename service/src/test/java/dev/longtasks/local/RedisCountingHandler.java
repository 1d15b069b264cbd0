package dev.longtasks.local;

import com.fasterxml.jackson.databind.JsonNode;
import dev.longtasks.json.Json;
import dev.longtasks.task.TaskContext;
import dev.longtasks.task.TaskHandler;
import java.net.URI;
import redis.clients.jedis.RedisClient;

/**
 * Test-only task type {@code count}, loaded into the API and worker processes of the
 * multi-process test through {@code TASKS_HANDLER_CLASSES}. Every start of the handler is
 * counted in Redis ({@code HINCRBY <prefix>executions <task_id> 1}), so the test can tell how
 * often each task really ran, across processes and kills. {@code steps} x {@code step_ms} with
 * progress after each step keeps a task mid-run long enough to be killed.
 */
public final class RedisCountingHandler implements TaskHandler {
    private static final RedisClient REDIS = RedisClient.create(URI.create(env("REDIS_URL", "redis://127.0.0.1:6379")));
    private static final String KEY = env("TASKS_REDIS_PREFIX", "longtasks:") + "executions";

    private static String env(String name, String dflt) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? dflt : v;
    }

    @Override
    public String type() {
        return "count";
    }

    @Override
    public JsonNode handle(JsonNode data, TaskContext context) throws Exception {
        REDIS.hincrBy(KEY, context.taskId(), 1);
        int steps = data.path("steps").asInt(0);
        int stepMs = data.path("step_ms").asInt(0);
        for (int i = 1; i <= steps; i++) {
            Thread.sleep(stepMs);
            context.progress(i * 100 / steps, "step " + i + " of " + steps);
        }
        return Json.MAPPER.createObjectNode().put("attempt", context.attempt());
    }
}
