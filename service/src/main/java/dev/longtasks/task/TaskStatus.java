package dev.longtasks.task;

/** The life cycle of a task. Terminal states are final: no write ever leaves them. */
public enum TaskStatus {
    PENDING, RUNNING, SUCCEEDED, FAILED, CANCELLED;

    public boolean isTerminal() {
        return this == SUCCEEDED || this == FAILED || this == CANCELLED;
    }
}
