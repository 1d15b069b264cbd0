package dev.longtasks.task;

/** An event could not be handed to the bus (broker down, queue full, throttled). */
public class EventPublishException extends RuntimeException {
    public EventPublishException(String message, Throwable cause) {
        super(message, cause);
    }

    public EventPublishException(String message) {
        super(message);
    }
}
