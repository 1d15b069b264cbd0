package dev.longtasks.task;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The SPI for a task type. A handler gets the submitted {@code data} and returns the result.
 * Throwing any exception ends the task FAILED with the exception's simple class name as
 * {@code error.type} and its message; it is not retried.
 */
public interface TaskHandler {
    /** The task type this handler serves, as clients name it in {@code POST /v1/tasks}. */
    String type();

    /** Checks the input before the task is stored; a message here becomes a 400 for the client. */
    default void validate(JsonNode data) throws InvalidTaskInputException {
    }

    JsonNode handle(JsonNode data, TaskContext context) throws Exception;
}
