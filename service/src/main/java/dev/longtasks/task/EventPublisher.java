package dev.longtasks.task;

import java.util.List;

/** Publishes system events (SNS, RabbitMQ, or the in-process bus). */
public interface EventPublisher extends AutoCloseable {

    /** Publishes one event; throws {@link EventPublishException} when it could not be handed over. */
    void publish(TaskEvent event);

    /** Publishes many; backends batch where they can. Fails as a whole if any event failed. */
    default void publishAll(List<TaskEvent> events) {
        events.forEach(this::publish);
    }

    @Override
    default void close() {
    }
}
