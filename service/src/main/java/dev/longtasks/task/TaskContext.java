package dev.longtasks.task;

import java.time.Duration;
import org.slf4j.Logger;

/** What a running handler may ask of the runner. */
public interface TaskContext {
    String taskId();

    int attempt();

    /**
     * Records progress. Returns normally when the write landed; throws
     * {@link TaskCancelledException} when cancellation was requested, and
     * {@link LostLeaseException} when another worker took the task over.
     */
    void progress(int percent, String message);

    /** True once a client asked to cancel this task. */
    boolean isCancellationRequested();

    /** Throws {@link TaskCancelledException} if cancellation was requested. */
    default void checkCancelled() {
        if (isCancellationRequested()) {
            throw new TaskCancelledException(taskId());
        }
    }

    /** Time left before the runner gives up on this attempt (the Lambda's remaining time). */
    Duration remainingTime();

    Logger logger();
}
