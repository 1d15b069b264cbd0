package dev.longtasks.task;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * At-least-once completion events: publish {@code task.succeeded}/{@code task.failed} for an ended
 * task, then record on the task that it was sent. Whoever ends a task or finds one whose event is
 * owed (the runner, a redelivered event, the reconciler) goes through here. A failure of either
 * step only logs: the task stays in the open index and the reconciler tries again.
 */
final class Completions {
    private static final Logger log = LoggerFactory.getLogger(Completions.class);

    private final TaskStore store;
    private final EventPublisher publisher;

    /** @param publisher null when nothing listens for completions; the task is then marked sent at once */
    Completions(TaskStore store, EventPublisher publisher) {
        this.store = store;
        this.publisher = publisher;
    }

    static TaskEvent eventFor(Task ended) {
        String event = ended.status() == TaskStatus.SUCCEEDED ? TaskEvent.SUCCEEDED : TaskEvent.FAILED;
        return new TaskEvent(ended.taskId(), ended.taskType(), event, null);
    }

    /** True when the event is published and recorded as sent. */
    boolean send(Task ended) {
        if (ended.completionSent()) {
            return true;
        }
        TaskEvent event = eventFor(ended);
        try {
            if (publisher != null) {
                publisher.publish(event);
            }
        } catch (RuntimeException e) {
            // The end state is recorded; a lost notification must not undo or retry it.
            log.warn("task {} ended {} but the {} event could not be published; the reconciler will try again: {}",
                    ended.taskId(), ended.status(), event.event(), e.toString());
            return false;
        }
        try {
            return store.markCompletionSent(ended.taskId());
        } catch (RuntimeException e) {
            log.warn("task {}: the {} event is published but could not be recorded as sent; it may be sent again: {}",
                    ended.taskId(), event.event(), e.toString());
            return false;
        }
    }
}
