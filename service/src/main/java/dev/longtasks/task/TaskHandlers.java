package dev.longtasks.task;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The registry of task types. Registration is explicit (no classpath scanning), which keeps cold
 * starts short and the native image free of reflection; the built-in types are listed in
 * {@code handlers/BuiltInHandlers}.
 */
public final class TaskHandlers {
    private final Map<String, TaskHandler> byType;

    private TaskHandlers(Map<String, TaskHandler> byType) {
        this.byType = Collections.unmodifiableMap(byType);
    }

    public static TaskHandlers of(List<? extends TaskHandler> handlers) {
        Map<String, TaskHandler> map = new LinkedHashMap<>();
        for (TaskHandler h : handlers) {
            if (map.putIfAbsent(h.type(), h) != null) {
                throw new IllegalArgumentException("two handlers for task type '" + h.type() + "'");
            }
        }
        return new TaskHandlers(map);
    }

    /**
     * These handlers plus the ones named in {@code classNames} (comma-separated classes that
     * implement {@link TaskHandler} with a public no-argument constructor). This is how a
     * self-hosted deployment adds its own task types to the API and worker processes
     * ({@code TASKS_HANDLER_CLASSES}) without changing this code. Blank means no extras.
     */
    public TaskHandlers withClasses(String classNames) {
        if (classNames == null || classNames.isBlank()) {
            return this;
        }
        List<TaskHandler> all = new ArrayList<>(byType.values());
        for (String name : classNames.split(",")) {
            all.add(instantiate(name.trim()));
        }
        return of(all);
    }

    private static TaskHandler instantiate(String className) {
        try {
            Class<?> c = Class.forName(className);
            if (!TaskHandler.class.isAssignableFrom(c)) {
                throw new IllegalArgumentException("TASKS_HANDLER_CLASSES: " + className + " does not implement " + TaskHandler.class.getName());
            }
            return (TaskHandler) c.getConstructor().newInstance();
        } catch (ClassNotFoundException e) {
            throw new IllegalArgumentException("TASKS_HANDLER_CLASSES: class " + className + " is not on the classpath", e);
        } catch (ReflectiveOperationException e) {
            throw new IllegalArgumentException("TASKS_HANDLER_CLASSES: " + className
                    + " needs a public no-argument constructor (" + e + ")", e);
        }
    }

    public Optional<TaskHandler> find(String type) {
        return Optional.ofNullable(byType.get(type));
    }

    public Set<String> types() {
        return byType.keySet();
    }
}
