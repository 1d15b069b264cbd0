package dev.longtasks.testing;

import com.fasterxml.jackson.databind.JsonNode;
import dev.longtasks.json.Json;
import dev.longtasks.task.TaskContext;
import dev.longtasks.task.TaskHandler;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A task handler that counts how often it starts and completes each task, so a scenario can
 * say "the handler ran once". {@link Body} lets a scenario stall, fail or report progress.
 */
public final class CountingHandler implements TaskHandler {
    public static final String TYPE = "counted";

    @FunctionalInterface
    public interface Body {
        JsonNode run(JsonNode data, TaskContext context) throws Exception;
    }

    private final Map<String, AtomicInteger> started = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> completed = new ConcurrentHashMap<>();
    private final Body body;

    public CountingHandler(Body body) {
        this.body = body;
    }

    /** Completes at once with {"ok":true,"attempt":n}. */
    public static CountingHandler instant() {
        return new CountingHandler((data, ctx) -> Json.MAPPER.createObjectNode().put("ok", true).put("attempt", ctx.attempt()));
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public JsonNode handle(JsonNode data, TaskContext context) throws Exception {
        started.computeIfAbsent(context.taskId(), k -> new AtomicInteger()).incrementAndGet();
        JsonNode result = body.run(data, context);
        completed.computeIfAbsent(context.taskId(), k -> new AtomicInteger()).incrementAndGet();
        return result;
    }

    public int starts(String taskId) {
        AtomicInteger n = started.get(taskId);
        return n == null ? 0 : n.get();
    }

    public int completions(String taskId) {
        AtomicInteger n = completed.get(taskId);
        return n == null ? 0 : n.get();
    }

    /** How often each task started, for the tasks that did. */
    public Map<String, Integer> startsByTask() {
        Map<String, Integer> m = new HashMap<>();
        started.forEach((id, n) -> m.put(id, n.get()));
        return m;
    }

    public int totalStarts() {
        return started.values().stream().mapToInt(AtomicInteger::get).sum();
    }
}
