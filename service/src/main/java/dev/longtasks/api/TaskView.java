package dev.longtasks.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonRawValue;
import com.fasterxml.jackson.annotation.JsonSetter;
import com.fasterxml.jackson.annotation.Nulls;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import dev.longtasks.json.Json;
import dev.longtasks.task.Progress;
import dev.longtasks.task.Task;
import dev.longtasks.task.TaskError;
import dev.longtasks.task.TaskStatus;
import java.io.IOException;
import java.time.Instant;

/**
 * A task as clients see it (DESIGN §4): the body of {@code GET} and {@code DELETE /v1/tasks/{id}},
 * and what {@code taskctl} reads from the API, builds from a store and prints with {@code -o json}.
 * These components are the one list of its fields; openapi.json's TaskView schema is checked
 * against them (OpenApiContractTest). A component that is never null says so with
 * {@code nulls = FAIL}, which also makes a reader refuse a view without it.
 *
 * <p>{@code result} is the handler's result as JSON text. It is written as a raw JSON value: the
 * stored text is already JSON written by this service, so a poll embeds it without parsing and
 * re-serialising it. A reader gets the value back as compact JSON text.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.ALWAYS)
public record TaskView(
        @JsonSetter(nulls = Nulls.FAIL) String taskId,
        @JsonSetter(nulls = Nulls.FAIL) String taskType,
        @JsonSetter(nulls = Nulls.FAIL) TaskStatus status,
        Progress progress,
        @JsonRawValue @JsonDeserialize(using = RawJson.class) String result,
        TaskError error,
        int attempt,
        boolean cancelRequested,
        @JsonSetter(nulls = Nulls.FAIL) String createdAt,
        @JsonSetter(nulls = Nulls.FAIL) String updatedAt,
        String startedAt,
        String finishedAt,
        String expiresAt) {

    public static TaskView of(Task t) {
        // A handler that returned null left the text "null": the same JSON as no result, so one Java value for both.
        String result = t.result() == null || t.result().equals("null") ? null : t.result();
        return new TaskView(t.taskId(), t.taskType(), t.status(), t.progress(), result, t.error(), t.attempt(),
                t.cancelRequested(), text(t.createdAt()), text(t.updatedAt()), text(t.startedAt()), text(t.finishedAt()),
                t.ttl() > 0 ? text(Instant.ofEpochSecond(t.ttl())) : null);
    }

    /**
     * The task as far as its view tells: no input and no lease. For a client that holds a view
     * where the core's types carry a {@link Task} (a cancel's outcome).
     */
    public Task toTask() {
        return new Task(taskId, taskType, status, null, result, error, progress, attempt, 0L, cancelRequested,
                Instant.parse(createdAt), Instant.parse(updatedAt), instant(startedAt), instant(finishedAt),
                expiresAt == null ? 0L : Instant.parse(expiresAt).getEpochSecond());
    }

    /** ISO-8601 in UTC with a trailing Z, as {@link Instant#toString()} writes it. */
    private static String text(Instant i) {
        return i == null ? null : i.toString();
    }

    private static Instant instant(String iso) {
        return iso == null ? null : Instant.parse(iso);
    }

    /** Reads whatever JSON value {@code result} holds back into compact JSON text. */
    static final class RawJson extends StdDeserializer<String> {
        RawJson() {
            super(String.class);
        }

        @Override
        public String deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            return Json.write(ctxt.readTree(p));
        }
    }
}
