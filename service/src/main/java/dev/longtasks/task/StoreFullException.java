package dev.longtasks.task;

/** The in-memory store holds its maximum of unfinished tasks and cannot take another. */
public class StoreFullException extends TaskStoreException {
    public StoreFullException(int max) {
        super("the in-memory store holds its maximum of " + max + " unfinished tasks");
    }
}
