package dev.longtasks.task;

/** The submitted data is not acceptable for the task type. Shown to the client as a 400. */
public class InvalidTaskInputException extends Exception {
    public InvalidTaskInputException(String message) {
        super(message);
    }
}
