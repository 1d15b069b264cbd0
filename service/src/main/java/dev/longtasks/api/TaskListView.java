package dev.longtasks.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonSetter;
import com.fasterxml.jackson.annotation.Nulls;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.List;

/**
 * The body of {@code GET /v1/tasks}: a page of task views, newest first, and where the next page
 * starts. {@code next_cursor} is null on the last page. {@code since} is the instant the listing
 * starts at, after defaults and clamping to the window, so a client sees what it got.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.ALWAYS)
public record TaskListView(
        @JsonSetter(nulls = Nulls.FAIL) List<TaskView> tasks,
        String nextCursor,
        @JsonSetter(nulls = Nulls.FAIL) String since) {

    public TaskListView {
        tasks = List.copyOf(tasks);
    }
}
