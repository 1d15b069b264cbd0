package dev.longtasks.task;

/**
 * The small system event carried by SNS, RabbitMQ or the in-process bus. It never carries the
 * payload: consumers read the input from the store, so large inputs never hit SNS's 256 KB limit.
 */
public record TaskEvent(String taskId, String taskType, String event, String stage) {
    public static final String SUBMITTED = "task.submitted";
    public static final String SUCCEEDED = "task.succeeded";
    public static final String FAILED = "task.failed";

    public static TaskEvent submitted(String taskId, String taskType, String stage) {
        return new TaskEvent(taskId, taskType, SUBMITTED, stage);
    }

    public boolean isSubmitted() {
        return SUBMITTED.equals(event);
    }
}
