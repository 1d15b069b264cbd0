package dev.longtasks.task;

/** What a batch submit did with one submission, in input order. */
public sealed interface SubmitOutcome {
    /** Stored: it runs (its event is published now or, failing that, by the reconciler). */
    record Stored(String taskId) implements SubmitOutcome {
    }

    /**
     * Refused: it will never run. {@code taskId} is null when nothing was stored; otherwise the
     * record exists, ended FAILED ({@code EnqueueFailed}).
     */
    record Refused(String reason, String taskId) implements SubmitOutcome {
    }
}
