package dev.longtasks.handlers;

import dev.longtasks.task.TaskHandlers;
import java.util.List;

/** The task types this service ships with. Add a new built-in handler here. */
public final class BuiltInHandlers {
    private BuiltInHandlers() {
    }

    public static TaskHandlers all() {
        return TaskHandlers.of(List.of(new ExampleHandler(), new NoopHandler(), new HttpCheckHandler()));
    }
}
