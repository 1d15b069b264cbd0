package dev.longtasks.local;

import com.fasterxml.jackson.databind.JsonNode;
import dev.longtasks.task.TaskContext;
import dev.longtasks.task.TaskHandler;

/**
 * Test-only task type whose class cannot even load: its static initialiser throws, so naming it in
 * {@code TASKS_HANDLER_CLASSES} makes start-up fail with an {@code ExceptionInInitializerError},
 * an {@code Error} no configuration check anticipates.
 */
public final class BrokenAtLoadHandler implements TaskHandler {
    private static final String SETTING = load();

    private static String load() {
        throw new IllegalStateException("the broken-at-load handler's settings file is missing");
    }

    @Override
    public String type() {
        return "broken-at-load-" + SETTING;
    }

    @Override
    public JsonNode handle(JsonNode data, TaskContext context) {
        return data;
    }
}
