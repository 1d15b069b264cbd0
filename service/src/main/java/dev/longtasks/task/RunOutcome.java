package dev.longtasks.task;

/** What the runner did with one event. Consumers use it to ack, requeue or report. */
public sealed interface RunOutcome {
    /** Not a {@code task.submitted} event: nothing to run. */
    record Ignored(String reason) implements RunOutcome {
    }

    /** The task is unknown, expired or already ended: a duplicate or late event. Ack it. */
    record NothingToDo(String taskId, String reason) implements RunOutcome {
    }

    /** Another worker holds a live lease; try again after {@code leaseUntil} (epoch ms). */
    record HeldElsewhere(String taskId, long leaseUntil) implements RunOutcome {
    }

    /** This attempt ran the task to an end state. */
    record Finished(Task task) implements RunOutcome {
    }

    /** This attempt lost its lease while running; its late writes were fenced off. */
    record LostLease(String taskId, int attempt) implements RunOutcome {
    }
}
