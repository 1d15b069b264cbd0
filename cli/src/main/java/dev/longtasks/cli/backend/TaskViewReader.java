package dev.longtasks.cli.backend;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import dev.longtasks.api.TaskView;
import dev.longtasks.json.Json;
import dev.longtasks.task.Progress;
import dev.longtasks.task.TaskError;
import dev.longtasks.task.TaskStatus;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Reads the task view the HTTP API answers, to the same {@link TaskView} as
 * {@code Json.MAPPER.readValue(body, TaskView.class)} (TaskViewReaderTest compares the two on
 * every kind of view the service writes, and on refused bodies).
 *
 * <p>Why Jackson's streaming parser and not its mapper: in a fresh JVM, building the mapper and
 * introspecting TaskView's records took ~60 ms, a third of a whole {@code taskctl status}; a
 * {@link JsonFactory} and one pass over the tokens cost what a hand-written reader did
 * (BENCHMARKS.md has the figures). It refuses what the mapper refuses: a missing or null field
 * that TaskView marks {@code nulls = FAIL}, a wrong type, an unknown status, malformed JSON;
 * unknown fields are skipped. It is stricter in one way: the mapper would coerce {@code "3"} or
 * {@code 3.0} to an int and a number to a status, which the API never writes. The body is parsed
 * from its UTF-8 bytes, as it came: Jackson's parser of {@code char}s takes non-ASCII digits in a
 * {@code \\u} escape for hex digits. {@code result} comes back as compact JSON text, written by
 * {@link TaskView#compactJson} as the mapper's reader writes it.
 */
final class TaskViewReader {
    // Nesting capped as the service caps it, so hostile JSON cannot blow the stack.
    private static final JsonFactory JSON = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(Json.MAX_NESTING_DEPTH).build())
            .build();

    private TaskViewReader() {
    }

    static TaskView read(String body) throws IOException {
        try (JsonParser p = JSON.createParser(body.getBytes(StandardCharsets.UTF_8))) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IOException("a task view is not a JSON object");
            }
            TaskView view = view(p);
            if (p.nextToken() != null) {
                throw new IOException("expected the end of the task view at " + p.currentLocation().offsetDescription());
            }
            return view;
        } catch (IllegalArgumentException e) {
            // An unknown status, or a progress percent outside 0..100 (Progress refuses it).
            throw new IOException(e.getMessage(), e);
        }
    }

    /** The members of the view's object; the parser is left on its closing brace. */
    private static TaskView view(JsonParser p) throws IOException {
        String taskId = null;
        String taskType = null;
        String status = null;
        Progress progress = null;
        String result = null;
        TaskError error = null;
        int attempt = 0;
        boolean cancelRequested = false;
        String createdAt = null;
        String updatedAt = null;
        String startedAt = null;
        String finishedAt = null;
        String expiresAt = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            p.nextToken();
            switch (name) {
                case "task_id" -> taskId = text(p, name);
                case "task_type" -> taskType = text(p, name);
                case "status" -> status = text(p, name);
                case "progress" -> progress = progress(p);
                case "result" -> result = p.currentToken() == JsonToken.VALUE_NULL ? null : TaskView.compactJson(p, JSON);
                case "error" -> error = error(p);
                case "attempt" -> attempt = integer(p, name);
                case "cancel_requested" -> cancelRequested = bool(p, name);
                case "created_at" -> createdAt = text(p, name);
                case "updated_at" -> updatedAt = text(p, name);
                case "started_at" -> startedAt = text(p, name);
                case "finished_at" -> finishedAt = text(p, name);
                case "expires_at" -> expiresAt = text(p, name);
                default -> p.skipChildren();
            }
        }
        return new TaskView(required(taskId, "task_id"), required(taskType, "task_type"),
                TaskStatus.valueOf(required(status, "status")), progress, result, error, attempt, cancelRequested,
                required(createdAt, "created_at"), required(updatedAt, "updated_at"), startedAt, finishedAt, expiresAt);
    }

    private static Progress progress(JsonParser p) throws IOException {
        if (!startsObject(p, "progress")) {
            return null;
        }
        int percent = 0;
        String message = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            p.nextToken();
            switch (name) {
                case "percent" -> percent = integer(p, name);
                case "message" -> message = text(p, name);
                default -> p.skipChildren();
            }
        }
        return new Progress(percent, message);
    }

    private static TaskError error(JsonParser p) throws IOException {
        if (!startsObject(p, "error")) {
            return null;
        }
        String type = null;
        String message = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            p.nextToken();
            switch (name) {
                case "type" -> type = text(p, name);
                case "message" -> message = text(p, name);
                default -> p.skipChildren();
            }
        }
        return new TaskError(type, message);
    }

    /** True on an object's opening brace, false on null; anything else is refused. */
    private static boolean startsObject(JsonParser p, String name) throws IOException {
        JsonToken t = p.currentToken();
        if (t == JsonToken.START_OBJECT || t == JsonToken.VALUE_NULL) {
            return t == JsonToken.START_OBJECT;
        }
        throw new IOException(name + " is not an object");
    }

    private static String required(String value, String name) throws IOException {
        if (value == null) {
            throw new IOException(name + " is missing");
        }
        return value;
    }

    private static String text(JsonParser p, String name) throws IOException {
        JsonToken t = p.currentToken();
        if (t == JsonToken.VALUE_STRING || t == JsonToken.VALUE_NULL) {
            return t == JsonToken.VALUE_NULL ? null : p.getText();
        }
        throw new IOException(name + " is not a string");
    }

    /** Null is 0, as Jackson gives a primitive; a number past an int is refused, as by Jackson. */
    private static int integer(JsonParser p, String name) throws IOException {
        JsonToken t = p.currentToken();
        if (t == JsonToken.VALUE_NULL) {
            return 0;
        }
        if (t == JsonToken.VALUE_NUMBER_INT) {
            return p.getIntValue();
        }
        throw new IOException(name + " is not an integer");
    }

    /** Null is false, as Jackson gives a primitive. */
    private static boolean bool(JsonParser p, String name) throws IOException {
        JsonToken t = p.currentToken();
        if (t == JsonToken.VALUE_NULL || t == JsonToken.VALUE_TRUE || t == JsonToken.VALUE_FALSE) {
            return t == JsonToken.VALUE_TRUE;
        }
        throw new IOException(name + " is not a boolean");
    }
}
