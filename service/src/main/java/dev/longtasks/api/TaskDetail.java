package dev.longtasks.api;

import com.fasterxml.jackson.annotation.JsonRawValue;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import dev.longtasks.task.Task;

/**
 * The body of {@code GET /v1/tasks/{id}?include=input}: the {@link TaskView}'s fields, then
 * {@code input}, the submitted {@code data} as JSON. The input is opt-in: a poll, a listing page
 * and {@code taskctl} never carry it (it may be up to the store's item limit, re-sent on every
 * poll otherwise), so the task view every client reads stays as it is; the dashboard's task page
 * asks for it.
 */
public record TaskDetail(@JsonUnwrapped TaskView task, @JsonRawValue String input) {

    public static TaskDetail of(Task t) {
        return new TaskDetail(TaskView.of(t), t.input());
    }
}
