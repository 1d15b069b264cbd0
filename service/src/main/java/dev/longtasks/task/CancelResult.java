package dev.longtasks.task;


/** What a cancel request did. */
public sealed interface CancelResult {
    /** A PENDING task was cancelled at once. */
    record Cancelled(Task task) implements CancelResult {
    }

    /** A RUNNING task was asked to stop; its handler sees it at the next check. */
    record Requested(Task task) implements CancelResult {
    }

    /** The task had already ended; nothing changed. */
    record AlreadyFinished(Task task) implements CancelResult {
    }

    /** Unknown or expired id. */
    record NotFound() implements CancelResult {
    }
}
