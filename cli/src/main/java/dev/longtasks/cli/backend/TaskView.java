package dev.longtasks.cli.backend;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.longtasks.json.Json;
import dev.longtasks.task.Progress;
import dev.longtasks.task.Task;
import dev.longtasks.task.TaskError;
import dev.longtasks.task.TaskStatus;
import java.time.Instant;

/**
 * A task as the CLI shows it: the API's task view (DESIGN §4), field for field, whichever backend
 * it came from. This is the JSON/JSONL contract of {@code status}, {@code watch} and {@code invoke}.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.ALWAYS)
public record TaskView(
        String taskId,
        String taskType,
        TaskStatus status,
        Progress progress,
        JsonNode result,
        TaskError error,
        int attempt,
        boolean cancelRequested,
        String createdAt,
        String updatedAt,
        String startedAt,
        String finishedAt,
        String expiresAt) {

    public static TaskView of(Task t) {
        return new TaskView(t.taskId(), t.taskType(), t.status(), t.progress(),
                t.result() == null ? null : Json.read(t.result()), t.error(), t.attempt(), t.cancelRequested(),
                str(t.createdAt()), str(t.updatedAt()), str(t.startedAt()), str(t.finishedAt()),
                t.ttl() > 0 ? Instant.ofEpochSecond(t.ttl()).toString() : null);
    }

    private static String str(Instant i) {
        return i == null ? null : i.toString();
    }

    @JsonIgnore
    public boolean isTerminal() {
        return status.isTerminal();
    }

    /** What watch compares between polls: a change of any of these is an event. */
    public boolean sameStateAs(TaskView other) {
        return other != null && status == other.status && attempt == other.attempt
                && cancelRequested == other.cancelRequested && java.util.Objects.equals(progress, other.progress);
    }
}
