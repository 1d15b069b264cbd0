package dev.longtasks.task;

import java.util.Set;

/** No handler is registered for the requested task type. */
public class UnknownTaskTypeException extends Exception {
    private final String type;

    public UnknownTaskTypeException(String type, Set<String> known) {
        super("unknown task type '" + type + "'; known types: " + String.join(", ", known));
        this.type = type;
    }

    public String type() {
        return type;
    }
}
