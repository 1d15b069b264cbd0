package dev.longtasks.task;

/**
 * An event could not be handed to the bus, or it is not known whether it was (timeout, network,
 * broker errors). {@link #backPressure()} marks the one case where the event is certainly not
 * delivered because the bus refuses work: the in-process queue is full or shutting down.
 */
public class EventPublishException extends RuntimeException {
    private final boolean backPressure;

    public EventPublishException(String message, Throwable cause) {
        this(message, cause, false);
    }

    public EventPublishException(String message) {
        this(message, null, false);
    }

    private EventPublishException(String message, Throwable cause, boolean backPressure) {
        super(message, cause);
        this.backPressure = backPressure;
    }

    /** The bus refused the event and holds no copy of it. */
    public static EventPublishException refused(String message, Throwable cause) {
        return new EventPublishException(message, cause, true);
    }

    public boolean backPressure() {
        return backPressure;
    }
}
