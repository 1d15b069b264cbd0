package dev.longtasks.task;

/** The task input would not fit in a store item (DynamoDB's 400 KB). Answered with 413. */
public class InputTooLargeException extends InvalidTaskInputException {
    public InputTooLargeException(int bytes, int max) {
        super("the task input is " + bytes + " bytes; the limit is " + max + " bytes");
    }
}
