package dev.longtasks.task;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The two steps of a submit after validation: store the tasks, then publish their events as a
 * first dispatch attempt. Only the bus refusing work (back-pressure) followed by a successful
 * conditional {@code PENDING -> FAILED} makes a stored task "refused"; any other publish failure
 * leaves it PENDING for the reconciler.
 */
final class Dispatch {
    private static final Logger log = LoggerFactory.getLogger(Dispatch.class);

    private final TaskStore store;
    private final EventPublisher publisher;
    private final Completions completions;
    private final Duration dispatchGrace;
    private final String stage;

    Dispatch(TaskStore store, EventPublisher publisher, Duration dispatchGrace, String stage) {
        this.store = store;
        this.publisher = publisher;
        this.completions = new Completions(store, publisher);
        this.dispatchGrace = dispatchGrace;
        this.stage = stage;
    }

    /**
     * Stores the tasks. When the store fails, the write may still have landed (a lost reply): the
     * tasks are then failed, best effort, so that the reconciler never runs what the client was
     * told is refused.
     */
    void create(List<Task> tasks) {
        try {
            if (tasks.size() == 1) {
                store.create(tasks.getFirst());
            } else {
                store.createAll(tasks);
            }
        } catch (TaskStoreException e) {
            voidUnconfirmed(tasks);
            throw e;
        }
    }

    private void voidUnconfirmed(List<Task> tasks) {
        TaskError error = new TaskError(TaskError.ENQUEUE_FAILED,
                "the submit was refused: the store did not confirm the write; submit it again");
        for (Task t : tasks) {
            try {
                store.failPending(t.taskId(), error);
            } catch (RuntimeException again) {
                log.warn("{} task(s) whose write was not confirmed could not be marked FAILED; if the write did land, "
                        + "the reconciler runs them: {}", tasks.size(), again.toString());
                return;
            }
        }
    }

    /**
     * Publishes the tasks' events: a dispatch attempt. Throws {@link EnqueueFailedException} with
     * the ids that are now certain never to run (back-pressure); any other failure leaves them
     * PENDING for the reconciler.
     */
    void dispatch(List<Task> tasks) {
        List<TaskEvent> events = tasks.stream().map(t -> TaskEvent.submitted(t.taskId(), t.taskType(), stage)).toList();
        try {
            if (events.size() == 1) {
                publisher.publish(events.getFirst());
            } else {
                publisher.publishAll(events);
            }
        } catch (EventPublishException e) {
            if (!e.backPressure()) {
                log.warn("{} task(s) stored, but publishing their events failed or went unanswered; the reconciler "
                        + "publishes them again after {} s: {}", events.size(), dispatchGrace.toSeconds(), e.toString());
                return;
            }
            List<String> failed = failRefused(tasks);
            if (!failed.isEmpty()) {
                throw new EnqueueFailedException(failed, e);
            }
        }
    }

    /** After back-pressure: ends the tasks no worker has taken; returns those it ended. */
    private List<String> failRefused(List<Task> tasks) {
        List<String> failed = new ArrayList<>();
        TaskError error = new TaskError(TaskError.ENQUEUE_FAILED,
                "the task was stored but the queue refused its event; submit it again");
        for (Task t : tasks) {
            try {
                store.failPending(t.taskId(), error).ifPresent(f -> {
                    failed.add(f.taskId());
                    completions.send(f);
                });
            } catch (TaskStoreException e) {
                // Not certain never to run: the task stays PENDING and the reconciler dispatches it.
                log.warn("task {}: the queue refused its event and it could not be marked FAILED; it stays PENDING: {}",
                        t.taskId(), e.toString());
            }
        }
        if (!failed.isEmpty()) {
            log.warn("the queue refused {} event(s); {} task(s) marked FAILED (EnqueueFailed)", tasks.size(), failed.size());
        }
        return failed;
    }

}
