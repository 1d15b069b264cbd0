package dev.longtasks.task;

import java.time.Duration;
import java.util.List;
import java.util.function.Function;

/**
 * Where a worker process takes its {@code task.submitted} events from: the in-process bus, a
 * RabbitMQ queue or an SQS queue. The runner is handed over at {@link #start}, not at
 * construction, so a bus can be built first and given to the runner as the publisher of its
 * completion events.
 */
public interface EventSource extends AutoCloseable {

    /**
     * Starts {@code workers} consumers; each delivery drives {@code runner} (in production
     * {@code TaskRunner::run}), and what it answers decides whether the delivery is acknowledged.
     */
    void start(Function<TaskEvent, RunOutcome> runner, int workers);

    /**
     * Stops taking events and gives the tasks that run {@code grace} to end. Returns the events
     * this source accepted but never started. Only an in-process bus can have any: a broker or a
     * queue keeps its own and delivers them again. No other process could run those, so the
     * caller ends their tasks.
     */
    List<TaskEvent> shutdown(Duration grace);

    @Override
    default void close() {
        shutdown(Duration.ofSeconds(10));
    }
}
